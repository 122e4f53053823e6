import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { dirname, join, resolve } from 'node:path';
import type { Response } from 'express';

const PAGE_DIR = resolve(__dirname, '../../dashboard');
/** The browser build of the same graphql-ws library the gateway serves: the page needs no CDN. */
const GRAPHQL_WS_BROWSER = join(dirname(require.resolve('graphql-ws')), '../umd/graphql-ws.min.js');
const ASSETS: Record<string, { file: string; type: string }> = {
  'dashboard.js': { file: join(PAGE_DIR, 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
  'dashboard.css': { file: join(PAGE_DIR, 'dashboard.css'), type: 'text/css; charset=utf-8' },
};

/**
 * The live dashboard: a static page that talks to the public GraphQL API (HTTP + graphql-ws)
 * like any other client; the gateway only serves its files.
 */
@Controller('dashboard')
export class DashboardController {
  @Get()
  page(@Res() res: Response): void {
    res.type('html').sendFile(join(PAGE_DIR, 'index.html'));
  }

  @Get('vendor/graphql-ws.js')
  graphqlWs(@Res() res: Response): void {
    res.type('text/javascript').sendFile(GRAPHQL_WS_BROWSER);
  }

  @Get(':asset')
  asset(@Param('asset') name: string, @Res() res: Response): void {
    const asset = ASSETS[name];
    if (!asset) throw new NotFoundException(`No dashboard file ${name}`);
    res.type(asset.type).sendFile(asset.file);
  }
}
