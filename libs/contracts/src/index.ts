export * from './plant-event';
