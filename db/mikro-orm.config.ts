// For the MikroORM CLI only (migration:create from the schema diff); the processes use db/orm.ts.
import { ormOptions } from './orm';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must be set for the MikroORM CLI');
export default ormOptions(url);
