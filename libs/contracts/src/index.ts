export * from './plant-event';
export * from './validation-issues';
export * from './event-id';
export * from './decode-plant-event';
export * from './sources';
export * from './event-time-bounds';
