import type { Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';

export interface ApiDeps {
  orm: MikroORM;
  temporal: Client;
  config: Config;
  log: Logger;
}
