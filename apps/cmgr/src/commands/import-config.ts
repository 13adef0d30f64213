import type { ClaudeConfig, ImportResult } from '@ports/cmgr-config';
import { type Context, fromConfigError } from '../context.js';
import { CmgrError, usageError } from '../errors.js';
import { ensureRealDir, readFileNoFollow, readUserConfig, writeFileAtomic } from '../files.js';
import {
  applyInstancePorts,
  checkSandbox,
  configText,
  loadConfigModule,
  readSandboxConfig,
  withoutPorts,
} from '../instance.js';
import { print } from '../output.js';
import { checkInstanceName, sandboxPaths } from '../paths.js';
import { getInstance, type InstanceRecord, updateState, withInstance } from '../state.js';

/**
 * `cmgr import-config <instance> [<from-instance>] [--json]`: the `mcpServers` of the user's
 * `~/.config/Claude/claude_desktop_config.json`, or of another instance's config, merged into the
 * instance's config; its own ports applied afterwards when they are on. All under the state lock, the
 * config written atomically; a bad source or target changes nothing (exit 3).
 */
export async function importConfig({ instance, args, flags, paths }: Context): Promise<number> {
  const name = checkInstanceName(instance ?? '');
  const from = args[0] === undefined ? undefined : checkInstanceName(args[0]);
  if (from === name)
    throw usageError(
      `'${name}' cannot import from itself; name another instance, or none for your own config`,
    );
  const configModule = await loadConfigModule();

  const outcome = await updateState(paths, async (state) => {
    const target = getInstance(state, name);
    await checkSandbox(target);
    const files = sandboxPaths(target.sandbox);

    let sourceFile: string;
    let sourceText: string | undefined;
    let sourceRecord: InstanceRecord['portsRecord'];
    if (from === undefined) {
      sourceFile = paths.userClaudeConfig;
      sourceText = await readUserConfig(sourceFile);
    } else {
      const source = getInstance(state, from);
      await checkSandbox(source);
      sourceFile = sandboxPaths(source.sandbox).claudeConfig;
      sourceText = await readFileNoFollow(sourceFile);
      sourceRecord = source.portsRecord;
    }
    if (sourceText === undefined) {
      throw new CmgrError('EFAILED', `nothing to import: ${sourceFile} does not exist`);
    }
    let sourceConfig: ClaudeConfig;
    try {
      sourceConfig = configModule.parseClaudeConfig(sourceText);
    } catch (error) {
      throw fromConfigError(error, sourceFile);
    }
    const { text, config } = await readSandboxConfig(configModule, files.claudeConfig);
    let merged: ImportResult;
    try {
      // The source instance's ports come out exactly (by its record), so nothing of its range is kept.
      merged = configModule.importServers(
        withoutPorts(configModule, config, target, paths.registry),
        sourceConfig,
        {
          ...(sourceRecord && { sourceRecord }),
        },
      );
    } catch (error) {
      if (error instanceof configModule.CmgrConfigError && error.code === 'EINVALIDRECORD') {
        throw new CmgrError(
          'ESTATECORRUPT',
          `state file ${paths.registry} is corrupt (instances.${from}.portsRecord: ${error.message}); fix it or move it aside`,
          { cause: error },
        );
      }
      throw fromConfigError(error, files.claudeConfig);
    }
    let next: InstanceRecord = target;
    let updated = configText(merged.config);
    if (target.ports) {
      try {
        const applied = applyInstancePorts(configModule, merged.config, target);
        updated = applied.text;
        next = { ...target, ...applied.fields };
      } catch (error) {
        throw fromConfigError(error, files.claudeConfig);
      }
    }
    if (updated !== text) {
      await ensureRealDir(files.claudeDir, files.root);
      await writeFileAtomic(files.claudeConfig, updated);
    }
    return {
      state: { ...state, registry: withInstance(state.registry, name, next) },
      result: { source: sourceFile, merged, record: next },
    };
  });

  const { merged, record, source } = outcome;
  if (flags.json) {
    print(
      JSON.stringify(
        {
          name,
          from: from ?? null,
          source,
          added: merged.added,
          replaced: merged.replaced,
          kept: merged.kept,
          ports: record.ports,
          tools: record.ports ? record.tools : [],
        },
        null,
        2,
      ),
    );
  } else {
    const count = merged.added.length + merged.replaced.length;
    print(
      `imported ${count} server(s) into '${name}' from ${from === undefined ? source : `'${from}'`}: ` +
        `${merged.added.length} added, ${merged.replaced.length} replaced, ${merged.kept.length} kept` +
        (record.ports ? '; ports applied' : ''),
    );
  }
  return 0;
}
