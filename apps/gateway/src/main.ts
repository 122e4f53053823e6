import 'reflect-metadata';
import { runApp } from '@plant/observability';
import { GatewayModule } from './app.module';
import { GatewayConfigSchema } from './config';

runApp(GatewayConfigSchema, (config) => GatewayModule.forRoot(config));
