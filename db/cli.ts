import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { openOrm, migrate } from './orm';
import { importTerc } from './reference';
import { demoAccounts, demoUnitAccounts, ensureAccount, ensureDemoPassword, issueToken, refuseInProduction, tokenIsValid } from './demo';
import { isRole, ROLES, roleScope } from '../domain/roles';
import { generateTemporaryPassword, hashPassword } from '../lib/passwords';
import { loadConfig, secretFromEnv } from '../lib/config';
import { connectClient } from '../lib/temporal';
import { caseHistory, disableAccount, OperatorError, resendMail, revokeTokens, rotatePayloadKey, unlockAccount } from './operator';

// Operator commands. create-account bootstraps the first ministry account: its temporary password is
// printed once to the terminal (never logged or stored in plain text) and must be changed at sign-in.
const usage = [
  'usage: cli migrate',
  '       cli import-reference',
  '       cli demo <tokens-file> [passwords-file]   (passwords: development only)',
  '       cli create-token <login> <name>',
  `       cli create-account <login> <email> <first-name> <last-name> <${ROLES.join('|')}> [voivodeship] [unit]`,
  '       cli unlock <login>                 lift a sign-in lockout',
  '       cli disable <login>                disable an account: its sessions end, its API tokens are revoked',
  '       cli revoke-tokens <login>          revoke every API token of an account',
  '       cli resend-mail <mail-id>          send an outbox message again (Temporal settings from the environment)',
  '       cli rotate-payload-key [--id <key-id>] [--keys-file <file>]',
  '                                          add a new payload key to the ring (PAYLOAD_KEY, PAYLOAD_KEYS,',
  '                                          PAYLOAD_KEY_ID from the environment) and print the settings that',
  '                                          make it the active one; --keys-file writes the PAYLOAD_KEYS value',
  '                                          there (mode 600) instead of printing it (-: it alone on stdout)',
  '       cli case-history <case-id>         print a case\'s workflow history with its payloads unsealed (JSON)',
  '       cli --help',
  '',
  'DATABASE_URL must be set; resend-mail and case-history also read TEMPORAL_* and the payload keys (PAYLOAD_KEY,',
  'PAYLOAD_KEYS, PAYLOAD_KEY_ID). Secrets may come from files: DATABASE_URL_FILE, PAYLOAD_KEY_FILE, PAYLOAD_KEYS_FILE.',
  'Every command but migrate, import-reference and demo writes an audit_log row (actor operator:<user>).',
].join('\n');

/** `--name value` options of a command; anything else is a usage error. */
function options(args: string[], names: string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (let i = 0; i < args.length; i += 2) {
    if (!names.includes(args[i]) || args[i + 1] === undefined) throw new Error(usage);
    out[args[i]] = args[i + 1];
  }
  return out;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const url = secretFromEnv('DATABASE_URL');
  if (!url) throw new Error('DATABASE_URL (or DATABASE_URL_FILE) must be set');
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
        const accounts = [...demoAccounts(), ...demoUnitAccounts()];
        const lines: string[] = ['# Demo API tokens (development only). Use: source this file.'];
        for (const a of accounts) {
          await ensureAccount(orm, a);
          const name = a.login.toUpperCase().replace(/-/g, '_');
          let token = existing.get(name);
          if (!token || !(await tokenIsValid(orm, token))) token = await issueToken(orm, a.login, 'demo');
          lines.push(`TOKEN_${name}=${token}`);
        }
        writeFileSync(file, lines.join('\n') + '\n', { mode: 0o600 });
        chmodSync(file, 0o600);
        console.log(`demo accounts ready: ${accounts.length}; tokens in ${file}`);
        const passwordsFile = args[1];
        if (passwordsFile) {
          // Known passwords make the demo usable at once; never on a production deployment.
          refuseInProduction('demo passwords');
          const known = new Map<string, string>();
          if (existsSync(passwordsFile)) {
            for (const line of readFileSync(passwordsFile, 'utf8').split('\n')) {
              const m = /^(\S+)\s+(\S+)/.exec(line);
              if (m && !line.startsWith('#')) known.set(m[1], m[2]);
            }
          }
          const out = ['# Demo accounts and passwords (development only): login, password, role'];
          for (const a of accounts) {
            const password = await ensureDemoPassword(orm, a.login, known.get(a.login));
            out.push(`${a.login}  ${password ?? '(zmienione przez Ciebie)'}  ${a.role}${a.voivodeship ? ` ${a.voivodeship}` : ''}${a.unitCode ? ` ${a.unitCode}` : ''}`);
          }
          writeFileSync(passwordsFile, out.join('\n') + '\n', { mode: 0o600 });
          chmodSync(passwordsFile, 0o600);
        }
        break;
      }
      case 'create-account': {
        const [login, email, firstName, lastName, role, voivodeship, unit] = args;
        if (!login || !email || !firstName || !lastName || !isRole(role)) throw new Error(usage);
        if (roleScope(role) === 'voivodeship' && !/^\d{2}$/.test(voivodeship ?? '')) throw new Error(`${role} needs a voivodeship code, e.g. 26`);
        const conn = orm.em.fork().getConnection();
        if ((await conn.execute('select 1 from accounts where login = ?', [login])).length) throw new Error(`login ${login} is taken`);
        await ensureAccount(orm, { login, firstName, lastName, role, voivodeship: voivodeship ?? null });
        const password = generateTemporaryPassword();
        await conn.execute('update accounts set email = ?, password_hash = ?, must_change_password = true, password_changed_at = now() where login = ?', [email, await hashPassword(password), login]);
        if (unit) await conn.execute('update role_assignments set unit_code = ? where account_id = (select id from accounts where login = ?)', [unit, login]);
        process.stdout.write(`account ${login} (${role}) created.\ntemporary password (shown once, change it at first sign-in): ${password}\n`);
        break;
      }
      case 'create-token': {
        const [login, name] = args;
        if (!login || !name) throw new Error(usage);
        process.stdout.write(`${await issueToken(orm, login, name)}\n`);
        break;
      }
      case 'unlock': {
        if (!args[0]) throw new Error(usage);
        await unlockAccount(orm, args[0]);
        console.log(`account ${args[0]} unlocked`);
        break;
      }
      case 'disable': {
        if (!args[0]) throw new Error(usage);
        const n = await disableAccount(orm, args[0]);
        console.log(`account ${args[0]} disabled; sessions ended: ${n.sessions}, API tokens revoked: ${n.tokens}`);
        break;
      }
      case 'revoke-tokens': {
        if (!args[0]) throw new Error(usage);
        console.log(`API tokens of ${args[0]} revoked: ${await revokeTokens(orm, args[0])}`);
        break;
      }
      case 'resend-mail':
      case 'case-history': {
        if (!args[0]) throw new Error(usage);
        const config = loadConfig();
        const client = await connectClient(config);
        try {
          if (command === 'resend-mail') console.log(`mail ${args[0]} queued again (workflow ${await resendMail(orm, client, config.TEMPORAL_TASK_QUEUE, args[0])})`);
          else process.stdout.write(`${JSON.stringify(await caseHistory(orm, client, config.PAYLOAD_KEYRING, args[0]), null, 2)}\n`);
        } finally {
          await client.connection.close();
        }
        break;
      }
      case 'rotate-payload-key': {
        const opts = options(args, ['--id', '--keys-file']);
        const rotation = await rotatePayloadKey(orm, {
          PAYLOAD_KEY: secretFromEnv('PAYLOAD_KEY'),
          PAYLOAD_KEYS: secretFromEnv('PAYLOAD_KEYS'),
          PAYLOAD_KEY_ID: process.env.PAYLOAD_KEY_ID || undefined,
        }, { id: opts['--id'] });
        // --keys-file -: the PAYLOAD_KEYS value alone on standard output (for a redirect into a secret file,
        // e.g. from a container), the explanation on standard error.
        const file = opts['--keys-file'];
        const toStdout = file === '-';
        if (file && !toStdout) {
          writeFileSync(file, `${rotation.payloadKeys}\n`, { mode: 0o600 });
          chmodSync(file, 0o600);
        }
        if (toStdout) process.stdout.write(`${rotation.payloadKeys}\n`);
        (toStdout ? process.stderr : process.stdout).write(
          [
            `new payload key ${rotation.id}; the ring: ${rotation.ring.join(', ')} (${rotation.id} seals, every key opens; ${rotation.previousId} sealed until now).`,
            '',
            'Set on every api, worker and migrate process at once, then restart them:',
            toStdout
              ? '  PAYLOAD_KEYS_FILE=<the file standard output went to>     (the ring\'s keys, secret; or its content as PAYLOAD_KEYS)'
              : file
                ? `  PAYLOAD_KEYS_FILE=${file}     (written: the ring's keys, secret; or its content as PAYLOAD_KEYS)`
                : `  PAYLOAD_KEYS=${rotation.payloadKeys}`,
            `  PAYLOAD_KEY_ID=${rotation.id}`,
            rotation.keepsPayloadKey ? '  PAYLOAD_KEY (or PAYLOAD_KEY_FILE): keep it as it is; its key stays in the ring' : '  PAYLOAD_KEY: leave it unset',
            '',
            file ? '' : 'The PAYLOAD_KEYS value holds every key of the ring: shown once, keep it in your secret store, not in a shell history.',
            'Keep every earlier key in the ring while a history within retention may be sealed with it (README, "Rotating the payload key").',
            '',
          ]
            .filter((l, i, all) => l !== '' || all[i - 1] !== '')
            .join('\n'),
        );
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
  process.stderr.write(`${err instanceof OperatorError || err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
