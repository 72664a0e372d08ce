// A throwaway PostgreSQL cluster for the old stack: initdb into a temp dir, the server on
// a loopback port, removed at the end of the run. Runs as an unprivileged user when we are
// root, because initdb and postgres refuse to run as root.
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { freePort, startProcess, tempDir, waitUntil } from "../lib/procs.mjs";

const TOOLS = ["initdb", "postgres"];

function hasTools(dir) {
  return TOOLS.every((t) => existsSync(join(dir, t)));
}

function candidateDirs() {
  const dirs = [];
  if (process.env.PG_BIN) dirs.push(process.env.PG_BIN);
  dirs.push("/usr/local/bin");
  try {
    const versions = readdirSync("/usr/lib/postgresql")
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) dirs.push(`/usr/lib/postgresql/${v}/bin`);
  } catch {
    // no Debian postgresql packages
  }
  for (const p of (process.env.PATH ?? "").split(":")) if (p) dirs.push(p);
  return dirs;
}

const findBinDir = () => candidateDirs().find(hasTools) ?? null;

/** Finds the server binaries, installing Debian's `postgresql` with apt-get (as root) when they are missing. */
export function postgresBinDir() {
  const found = findBinDir();
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    console.log("PostgreSQL server binaries not found; installing Debian's `postgresql` with apt-get …");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    spawnSync("apt-get", ["update"], { stdio: "inherit", env, timeout: 300_000 });
    const install = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "postgresql"], { stdio: "inherit", env, timeout: 600_000 });
    const after = findBinDir();
    if (install.status === 0 && after) return after;
  }
  throw new Error(
    "PostgreSQL server binaries (initdb, postgres) were not found in $PG_BIN, /usr/local/bin, /usr/lib/postgresql/*/bin or $PATH" +
      (isRoot ? ", and `apt-get install postgresql` did not provide them." : ".") +
      " Install PostgreSQL (Debian: `apt-get install postgresql`, as root) or set PG_BIN to the directory that holds initdb and postgres.",
  );
}

/** The unprivileged account to run the server as, when we are root. */
function serverAccount() {
  if (process.getuid?.() !== 0) return null;
  for (const name of ["postgres", "nobody"]) {
    try {
      const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
      return { name, uid, gid };
    } catch {
      // no such user
    }
  }
  throw new Error("running as root, but neither a `postgres` nor a `nobody` account exists to run PostgreSQL as");
}

/** Starts a fresh cluster; resolves `{ url, stop }` once it accepts connections. */
export async function startPostgres() {
  const binDir = postgresBinDir();
  const account = serverAccount();
  const dir = tempDir("lumiku-bench-pg-");
  const data = join(dir, "data");
  if (account) chownSync(dir, account.uid, account.gid);
  // setpriv execs in place (no extra process), so stopping the child stops the postmaster itself.
  const asServerUser = (tool, args) => (account ? ["setpriv", [`--reuid=${account.uid}`, `--regid=${account.gid}`, "--clear-groups", join(binDir, tool), ...args]] : [join(binDir, tool), args]);

  const [initCmd, initArgs] = asServerUser("initdb", ["-D", data, "-U", "bench", "--auth=trust", "--no-locale", "-E", "UTF8", "--no-sync"]);
  const init = spawnSync(initCmd, initArgs, { cwd: dir, encoding: "utf8", timeout: 120_000 });
  if (init.status !== 0) throw new Error(`initdb failed (exit ${init.status ?? init.signal}):\n${init.stdout}\n${init.stderr}`);

  const port = await freePort();
  const [cmd, args] = asServerUser("postgres", [
    "-D",
    data,
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    `port=${port}`,
    "-c",
    `unix_socket_directories=${dir}`,
    // Room for the old stack's pool of 64 plus setup connections; every other setting is the default.
    "-c",
    "max_connections=100",
  ]);
  const proc = startProcess(cmd, args, { cwd: dir, logFile: join(dir, "postgres.log"), stopSignal: "SIGINT" });
  const url = `postgres://bench@127.0.0.1:${port}/postgres`;
  await waitUntil(
    "postgres",
    async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.end();
      return true;
    },
    { proc, timeoutMs: 60_000, everyMs: 250 },
  );
  const version = spawnSync(join(binDir, "postgres"), ["--version"], { encoding: "utf8" }).stdout.trim();
  return { url, version, binDir, stop: () => proc.stop(10_000) };
}
