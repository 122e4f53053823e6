import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PubSub } from 'graphql-subscriptions';
import type { Alert, ChangeFeedMessage, ChangeFeedReader, KpiSnapshot } from '@plant/domain';
import { HealthRegistry, MetricsRegistry } from '@plant/observability';
import { CHANGE_FEED_READER } from '../kpi-subgraph.tokens';
import { filterIterator } from './filtered-iterator';

type LiveEvents = { kpiUpdated: KpiSnapshot; alertChanged: Alert };

const RETRY_MAX_MS = 30_000;

/** Injection token of the service's options; `start: false` builds the schema without reading the feed. */
export const CHANGE_FEED_OPTIONS = Symbol('CHANGE_FEED_OPTIONS');
export interface ChangeFeedOptions {
  start: boolean;
}

/**
 * One change-feed reader per replica, started with the module and stopped with it. Every message
 * is published once to an in-process PubSub; each subscription filters the stream for itself.
 * If the feed cannot be read at boot (stream unreachable), the replica still serves queries and
 * keeps retrying; `/health` reports the feed until it runs.
 */
@Injectable()
export class ChangeFeedService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ChangeFeedService.name);
  private readonly pubSub = new PubSub<LiveEvents>();
  private stopReader?: () => Promise<void>;
  private retryTimer?: NodeJS.Timeout;
  private destroyed = false;
  private lastStartError?: string;
  private readonly received;

  constructor(
    @Inject(CHANGE_FEED_READER) private readonly reader: ChangeFeedReader,
    @Inject(CHANGE_FEED_OPTIONS) private readonly options: ChangeFeedOptions,
    private readonly health: HealthRegistry,
    metrics: MetricsRegistry,
  ) {
    this.received = metrics.counter('kpi_subgraph_change_feed_messages_total', 'Change-feed messages received by this replica', ['type']);
  }

  async onModuleInit(): Promise<void> {
    if (!this.options.start) return;
    this.health.register({
      name: 'change-feed',
      check: async () => {
        if (!this.stopReader) throw new Error(`change feed not running: ${this.lastStartError ?? 'starting'}`);
      },
    });
    await this.start(1_000);
  }

  async onModuleDestroy(): Promise<void> {
    this.destroyed = true;
    clearTimeout(this.retryTimer);
    const stop = this.stopReader;
    this.stopReader = undefined;
    await stop?.();
  }

  kpiUpdates(matches: (kpi: KpiSnapshot) => boolean): AsyncIterableIterator<KpiSnapshot> {
    return filterIterator(this.pubSub.asyncIterableIterator('kpiUpdated'), matches);
  }

  alertChanges(matches: (alert: Alert) => boolean): AsyncIterableIterator<Alert> {
    return filterIterator(this.pubSub.asyncIterableIterator('alertChanged'), matches);
  }

  /** Called by the reader for every message, in feed order. */
  dispatch(message: ChangeFeedMessage): void {
    this.received.inc({ type: message.type });
    switch (message.type) {
      case 'kpi-updated':
        void this.pubSub.publish('kpiUpdated', message.kpi);
        return;
      case 'alert-changed':
        void this.pubSub.publish('alertChanged', message.alert);
        return;
    }
  }

  private async start(retryInMs: number): Promise<void> {
    try {
      this.stopReader = await this.reader.start((message) => this.dispatch(message));
      this.lastStartError = undefined;
      this.logger.log('change feed reader started');
    } catch (err) {
      this.lastStartError = err instanceof Error ? err.message : String(err);
      this.logger.error(`change feed reader failed to start, retrying in ${retryInMs} ms: ${this.lastStartError}`);
      if (this.destroyed) return;
      this.retryTimer = setTimeout(() => void this.start(Math.min(retryInMs * 2, RETRY_MAX_MS)), retryInMs);
      this.retryTimer.unref();
    }
  }
}
