// Live plant dashboard. Everything goes through the public GraphQL API of the gateway: one HTTP query
// for the hierarchy and current KPIs, then graphql-ws subscriptions (one socket, many operations) for
// KPI changes of every asset and for alerts. Plain browser JavaScript: no build step.
(function () {
  'use strict';
  const { createClient } = window.graphqlWs;
  const $ = (sel) => document.querySelector(sel);
  const MAX_ALERTS = 50;

  const KPI_FIELDS = 'scopeId oee availability performance quality throughputPerHour goodCount scrapCount updatedAt';
  const HIERARCHY = `query Dashboard($window: KpiWindow!) {
    plants { id kpi(window: $window) { oee }
      lines { id kpi(window: $window) { oee }
        assets(first: 100) { edges { node { id state { state } kpi(window: $window) { ${KPI_FIELDS} } } } } } }
    alerts(first: 20) { edges { node { id severity status message assetId raisedAt } } } }`;
  const KPI_UPDATED = `subscription AssetKpi($assetId: ID!, $window: KpiWindow!) {
    kpiUpdated(assetId: $assetId, window: $window) { ${KPI_FIELDS} asset { id state { state } } } }`;
  // The trend comes from the history subgraph (Timestream): the gateway resolves Asset.trend for
  // each KPI event of the selected asset, so the chart moves with the plant.
  const TREND_FIELDS = 'trend(measure: $measure, last: "15m", bucket: "15s") { unit points { time avg } }';
  const TREND = `query Trend($assetId: ID!, $measure: String!) { asset(id: $assetId) { id ${TREND_FIELDS} } }`;
  const TREND_LIVE = `subscription TrendLive($assetId: ID!, $measure: String!) {
    kpiUpdated(assetId: $assetId, window: ONE_MINUTE) { asset { id ${TREND_FIELDS} } } }`;
  const ALERT_RAISED = `subscription Alerts($plantId: ID) {
    alertRaised(plantId: $plantId) { id severity status message assetId raisedAt } }`;

  let selected;
  let subscriptions = [];
  let trendSubscription;

  // The API needs an access token: `npm start` prints this page's URL with one in the fragment
  // (#token=…, never sent to a server). It is kept for the tab's session, so a reload keeps working.
  const fromFragment = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromFragment) {
    sessionStorage.setItem('plant-token', fromFragment);
    history.replaceState(null, '', location.pathname);
  }
  const token = sessionStorage.getItem('plant-token');
  const authorization = token ? 'Bearer ' + token : undefined;

  const client = createClient({
    url: location.origin.replace(/^http/, 'ws') + '/graphql',
    retryAttempts: Infinity,
    keepAlive: 10000,
    connectionParams: authorization ? { authorization } : {},
    // 4401: the token is missing, invalid or expired; retrying with it cannot help.
    shouldRetry: (event) => !(event && event.code === 4401),
    on: {
      connected: () => setConnection('open', 'live'),
      closed: (event) =>
        event && event.code === 4401
          ? setConnection('error', 'not signed in — open the dashboard URL that npm start printed')
          : setConnection('closed', 'disconnected — retrying'),
      error: () => setConnection('error', 'connection error'),
    },
  });

  function setConnection(state, text) {
    const el = $('#connection');
    el.dataset.state = state;
    el.textContent = text;
  }

  async function query(text, variables) {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query: text, variables }),
    });
    const body = await res.json();
    if (body.errors) console.warn('GraphQL errors', body.errors);
    return body.data;
  }

  /**
   * A subscription that stays open until its dispose function is called. When the server ends it (the
   * gateway completes a stream whose subgraph died and was restarted by `npm start`) or fails it, it is
   * opened again after 1 s, doubling to 10 s while that fails: the WebSocket itself stays up, so the
   * client's own retries never see it.
   */
  function keepSubscribed(text, variables, onData) {
    let disposed = false;
    let delay = 1000;
    let dispose = () => {};
    const again = () => {
      if (disposed) return;
      setTimeout(() => disposed || open(), delay);
      delay = Math.min(delay * 2, 10000);
    };
    const open = () => {
      dispose = client.subscribe(
        { query: text, variables },
        {
          next: (msg) => {
            delay = 1000;
            if (msg.data) onData(msg.data);
          },
          error: (err) => {
            console.warn('subscription error', err);
            again();
          },
          complete: again,
        },
      );
    };
    open();
    return () => {
      disposed = true;
      dispose();
    };
  }

  function subscribe(text, variables, onData) {
    subscriptions.push(keepSubscribed(text, variables, onData));
  }

  const pct = (v) => (v == null ? '—' : (v * 100).toFixed(1) + ' %');

  function renderHierarchy(plants) {
    const root = $('#plants');
    root.replaceChildren();
    for (const plant of plants) {
      const p = el('div', { class: 'plant' }, el('h2', {}, `Plant ${plant.id} · OEE ${pct(plant.kpi && plant.kpi.oee)}`));
      for (const line of plant.lines) {
        const tiles = el('div', { class: 'tiles' });
        for (const { node: asset } of line.assets.edges) tiles.append(renderTile(asset));
        p.append(el('div', { class: 'line' }, el('h3', {}, `Line ${line.id} · OEE ${pct(line.kpi && line.kpi.oee)}`), tiles));
      }
      root.append(p);
    }
  }

  function renderTile(asset) {
    const tile = el('div', { class: 'tile', 'data-asset-id': asset.id, 'data-state': asset.state ? asset.state.state : '' },
      el('div', { class: 'id' }, asset.id), el('div', { class: 'oee' }), el('div', { class: 'meta' }));
    tile.addEventListener('click', () => select(asset.id));
    updateTile(tile, asset.kpi, asset.state);
    return tile;
  }

  function updateTile(tile, kpi, state) {
    if (state) tile.dataset.state = state.state;
    tile.querySelector('.oee').textContent = 'OEE ' + pct(kpi && kpi.oee);
    tile.querySelector('.meta').textContent = kpi
      ? `${Math.round(kpi.throughputPerHour)}/h · good ${kpi.goodCount} · scrap ${kpi.scrapCount} · ${(tile.dataset.state || '').toLowerCase()}`
      : 'no data yet';
  }

  function onKpi(kpi) {
    const tile = document.querySelector(`.tile[data-asset-id="${CSS.escape(kpi.scopeId)}"]`);
    if (tile) updateTile(tile, kpi, kpi.asset && kpi.asset.state);
  }

  function onAlert(alert) {
    const list = $('#alerts');
    const item = el('li', { 'data-severity': alert.severity },
      `${new Date(alert.raisedAt).toLocaleTimeString()} · ${alert.severity} · ${alert.assetId} — ${alert.message}`);
    list.prepend(item);
    while (list.children.length > MAX_ALERTS) list.lastElementChild.remove();
  }

  function select(assetId) {
    selected = assetId;
    document.querySelectorAll('.tile.selected').forEach((t) => t.classList.remove('selected'));
    const tile = document.querySelector(`.tile[data-asset-id="${CSS.escape(assetId)}"]`);
    if (tile) tile.classList.add('selected');
    const measure = $('#measure').value;
    $('#trend-title').textContent = `${measure} of ${assetId}, last 15 min`;
    if (trendSubscription) trendSubscription();
    const variables = { assetId, measure };
    query(TREND, variables).then((d) => d && d.asset && renderTrend(d.asset.trend));
    trendSubscription = keepSubscribed(TREND_LIVE, variables, (d) => renderTrend(d.kpiUpdated.asset.trend));
  }

  function renderTrend(trend) {
    const svg = $('#trend-chart');
    svg.replaceChildren();
    const points = trend ? trend.points : [];
    svg.dataset.points = String(points.length);
    $('#trend-unit').textContent = trend && trend.unit ? `(${trend.unit})` : '';
    if (points.length < 2) return;
    const values = points.map((p) => p.avg);
    const lo = Math.min(...values);
    const span = Math.max(1e-9, Math.max(...values) - lo);
    const coords = points.map((p, i) => `${(i / (points.length - 1)) * 600},${150 - ((p.avg - lo) / span) * 140}`).join(' ');
    const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    line.setAttribute('points', coords);
    svg.append(line);
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    node.append(...children);
    return node;
  }

  async function start() {
    subscriptions.forEach((dispose) => dispose());
    subscriptions = [];
    const window = $('#window').value;
    if (!authorization) return setConnection('error', 'not signed in — open the dashboard URL that npm start printed');
    const data = await query(HIERARCHY, { window });
    if (!data) return setTimeout(start, 2000); // the API is not ready yet: try again
    renderHierarchy(data.plants);
    $('#alerts').replaceChildren();
    data.alerts.edges.map((e) => e.node).reverse().forEach(onAlert);
    for (const plant of data.plants) {
      subscribe(ALERT_RAISED, { plantId: plant.id }, (d) => onAlert(d.alertRaised));
      for (const line of plant.lines) {
        for (const { node } of line.assets.edges) {
          subscribe(KPI_UPDATED, { assetId: node.id, window }, (d) => onKpi(d.kpiUpdated));
        }
      }
    }
    const first = document.querySelector('.tile');
    if (first && !selected) select(first.dataset.assetId);
    document.body.dataset.ready = 'true';
  }

  $('#window').addEventListener('change', start);
  $('#measure').addEventListener('change', () => selected && select(selected));
  start();
})();
