import 'reflect-metadata';
import { runApp } from '@plant/observability';
import { StreamWriterModule } from './app.module';
import { StreamWriterConfigSchema } from './config';

runApp(StreamWriterConfigSchema, (config) => StreamWriterModule.forRoot(config));
