export * from './access-token';
export * from './auth-error';
export * from './expiring-cache';
export * from './identity';
export * from './internal-identity';
export * from './roles';
