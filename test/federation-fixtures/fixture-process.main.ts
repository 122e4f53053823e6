import { startFixtureSubgraphs } from './fixture-subgraphs';
import { FixtureCommand, FixtureReply } from './fixture-process';

/**
 * The two test subgraphs as their own process (benchmarks keep their CPU apart from the gateway's;
 * tests SIGKILL it to lose a subgraph for real). Controlled over the IPC channel.
 */
async function main(): Promise<void> {
  const fx = await startFixtureSubgraphs({
    assets: Number(process.env.FIXTURE_ASSETS_PORT ?? 0),
    maintenance: Number(process.env.FIXTURE_MAINTENANCE_PORT ?? 0),
  });
  const reply = (m: FixtureReply) => process.send?.(m);

  process.on('message', (command: FixtureCommand) => {
    switch (command.type) {
      case 'emit':
        fx.assetStore.emit(command.assetId);
        return;
      case 'setRisk':
        fx.maintenanceStore.setRisk(command.assetId, command.risk);
        return;
      case 'emitAtRate': {
        // Paced by elapsed time rather than one timer per event, so the rate holds under load.
        const started = performance.now();
        let sent = 0;
        const total = Math.round((command.ratePerSecond * command.durationMs) / 1000);
        const tick = setInterval(() => {
          const due = Math.min(total, Math.floor(((performance.now() - started) * command.ratePerSecond) / 1000));
          for (; sent < due; sent++) fx.assetStore.emit(command.assetIds[sent % command.assetIds.length]);
          if (sent >= total) {
            clearInterval(tick);
            reply({ type: 'emitDone', emitted: sent, tookMs: performance.now() - started });
          }
        }, 2);
        return;
      }
      case 'stats':
        reply({
          type: 'stats',
          assetsHttpRequests: fx.assets.httpRequests,
          maintenanceHttpRequests: fx.maintenance.httpRequests,
          activeUpstreamSubscriptions: fx.assetStore.activeSubscriptions(),
          wsConnections: fx.assets.connectionParams.length,
        });
        return;
      case 'stop':
        void fx.stop().then(() => process.exit(0));
        return;
    }
  });
  reply({ type: 'ready', assetsUrl: fx.assets.url, maintenanceUrl: fx.maintenance.url, supergraphSdl: fx.supergraphSdl });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
