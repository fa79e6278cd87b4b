/**
 * Where the Terraform CLI and a mirror of the hashicorp/aws 5.x provider are on this machine, for the suites
 * that run them: MFC_TERRAFORM (default `terraform` on the PATH) and MFC_TF_PROVIDER_MIRROR (default
 * /opt/tf-plugins). `missing` says why the suites are skipped when either is absent.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const TERRAFORM = process.env.MFC_TERRAFORM ?? 'terraform';
export const TF_MIRROR = process.env.MFC_TF_PROVIDER_MIRROR ?? '/opt/tf-plugins';

function why(): string | undefined {
  const version = spawnSync(TERRAFORM, ['version'], {
    encoding: 'utf8',
    env: { ...process.env, TF_CLI_CONFIG_FILE: '' },
  });
  if (version.error || version.status !== 0) return `no Terraform CLI (${TERRAFORM}); set MFC_TERRAFORM`;
  const aws = join(TF_MIRROR, 'registry.terraform.io', 'hashicorp', 'aws');
  if (!existsSync(aws) || !readdirSync(aws).some((v) => v.startsWith('5.')))
    return `no hashicorp/aws 5.x provider in the mirror ${TF_MIRROR}; set MFC_TF_PROVIDER_MIRROR`;
  return undefined;
}

/** Why Terraform cannot run here, or undefined when it can. */
export const missing = why();

/** The CLI configuration that installs hashicorp/aws from the mirror (linked, not copied) and nothing else. */
export const cliConfig = `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(TF_MIRROR)}
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct { exclude = ["registry.terraform.io/hashicorp/aws"] }
}
`;

/** The environment for a terraform command: its own CLI configuration, no prompts, no calls home. */
export function terraformEnv(cliConfigFile: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };
}

/**
 * Runs one terraform command (with -no-color) in `cwd`; resolves with its exit code and its output, stdout and
 * stderr as they came, never rejecting on a non-zero exit (`plan -detailed-exitcode` answers 2 for changes).
 * Killed after `timeoutMs`.
 */
export function runTerraform(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 300_000,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TERRAFORM, [...args, '-no-color'], { cwd, env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out });
    });
  });
}
