import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { openOrm, migrate } from './orm';
import { importTerc } from './reference';
import { demoAccounts, ensureAccount, issueToken, tokenIsValid } from './demo';

// Operator commands: migrate | import-reference | demo <tokens-file> | create-token <login> <name>
const usage = 'usage: cli migrate | import-reference | demo <tokens-file> | create-token <login> <name>';

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL must be set');
  const orm = await openOrm(url, 2);
  try {
    switch (command) {
      case 'migrate': {
        const applied = await migrate(orm);
        console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'migrations are current');
        break;
      }
      case 'import-reference': {
        const n = await importTerc(orm);
        console.log(`TERC imported: ${n.voivodeships} voivodeships, ${n.powiats} powiats, ${n.gminas} gminas`);
        break;
      }
      case 'demo': {
        const file = args[0];
        if (!file) throw new Error(usage);
        const existing = new Map<string, string>();
        if (existsSync(file)) {
          for (const line of readFileSync(file, 'utf8').split('\n')) {
            const m = /^TOKEN_([A-Z0-9_]+)=(\S+)$/.exec(line.trim());
            if (m) existing.set(m[1], m[2]);
          }
        }
        const lines: string[] = ['# Demo API tokens (development only). Use: source this file.'];
        for (const a of demoAccounts()) {
          await ensureAccount(orm, a);
          const name = a.login.toUpperCase().replace(/-/g, '_');
          let token = existing.get(name);
          if (!token || !(await tokenIsValid(orm, token))) token = await issueToken(orm, a.login, 'demo');
          lines.push(`TOKEN_${name}=${token}`);
        }
        writeFileSync(file, lines.join('\n') + '\n', { mode: 0o600 });
        chmodSync(file, 0o600);
        console.log(`demo accounts ready: ${demoAccounts().length}; tokens in ${file}`);
        break;
      }
      case 'create-token': {
        const [login, name] = args;
        if (!login || !name) throw new Error(usage);
        process.stdout.write(`${await issueToken(orm, login, name)}\n`);
        break;
      }
      default:
        throw new Error(usage);
    }
  } finally {
    await orm.close();
  }
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
