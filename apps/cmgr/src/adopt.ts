import { basename, join } from 'node:path';
import { lstatOrUndefined, writeFileAtomic } from './files.js';
import { note } from './output.js';
import type { Paths } from './paths.js';
import { corrupt, type Found, type InstanceRecord, type State, writeState } from './state.js';

/** A `registry.json` the bash cmgr wrote (`{"instances": {…}}`, no version): adopted on first use. */
export class BashRegistry {
  constructor(readonly value: Record<string, unknown>) {}
}

/**
 * Adopts the bash cmgr's state (held lock): its instances with their sandboxes and bases become ours, the
 * old files are kept beside as `<file>.bash-cmgr.bak`, and our format is written. A file that is not
 * the bash cmgr's after all is the corrupt-file error it always was.
 */
export async function adoptBash(paths: Paths, found: Found, assertHeld: () => void): Promise<State> {
  const bash = found.registry as BashRegistry;
  const { adoptBashState, isBashRegistry } = await import('@ports/cmgr-config/core');
  if (!isBashRegistry(bash.value)) {
    throw corrupt(
      paths.registry,
      "it has no version and is not the bash cmgr's registry either; a newer cmgr may have written it",
    );
  }
  // Where the bash cmgr put sandboxes ($HOME/sandboxes), and where cmgr puts them.
  const parents = [paths.sandboxes, join(paths.userHome, 'sandboxes')];
  const adoption = adoptBashState(bash.value, found.portRegistry.allocated_ports, new Date(), parents);
  const instances: Record<string, InstanceRecord> = {};
  const allocated: Record<string, number> = { ...found.portRegistry.allocated_ports };
  for (const adopted of adoption.instances) {
    instances[adopted.name] = { ...adopted, offsets: {}, tools: [] };
    allocated[adopted.name] = adopted.base;
  }
  const state: State = { registry: { version: 1, instances }, portRegistry: { allocated_ports: allocated } };
  for (const [file, text] of [
    [paths.registry, found.registryText],
    [paths.portRegistry, found.portText],
  ] as const) {
    if (text !== undefined) await writeFileAtomic(await backupName(file), text);
  }
  assertHeld();
  await writeState(paths, state);
  const names = adoption.instances.map((i) => `'${i.name}' (${i.base}-${i.base + i.size - 1})`);
  note(
    `adopted the bash cmgr's state: ${names.length} instance(s)${names.length ? `: ${names.join(', ')}` : ''}; ` +
      `its files are kept as ${basename(paths.registry)}${BACKUP_SUFFIX}${found.portText === undefined ? '' : ` and ${basename(paths.portRegistry)}${BACKUP_SUFFIX}`}, sandboxes untouched`,
  );
  for (const left of adoption.skipped) {
    note(`left out '${left.name}' of the bash cmgr's registry: ${left.why}; it stays in the backup`);
  }
  return state;
}

/** What an adopted file of the bash cmgr is kept as, beside it. */
export const BACKUP_SUFFIX = '.bash-cmgr.bak';

/** `<file>.bash-cmgr.bak`, or with a number when one exists already (a backup is never overwritten). */
async function backupName(file: string): Promise<string> {
  for (let n = 0; ; n += 1) {
    const name = `${file}${BACKUP_SUFFIX}${n === 0 ? '' : `.${n}`}`;
    if ((await lstatOrUndefined(name)) === undefined) return name;
  }
}
