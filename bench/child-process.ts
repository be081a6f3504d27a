import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The project's root, where npm scripts run. */
export const projectRoot = path.resolve(import.meta.dirname, '..');

/** An npm script's own command line (e.g. `start`), so a benchmark measures what users run. */
export function npmScript(name: string): { command: string; args: string[] } {
  const scripts = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const [program, ...args] = scripts[name]!.split(/\s+/);
  return { command: program === 'node' ? process.execPath : program!, args };
}

/** Runs a command to its end in the project root; resolves its stdout, rejects with its stderr. */
export function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${args.join(' ')} exited ${code}:\n${stderr}`))));
  });
}
