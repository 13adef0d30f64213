import { INSTANCE_NAME_PATTERN } from './name.js';
import { DEFAULT_RANGE_SIZE, firstFreeSlot, instanceRange, MAX_PORT, type PortRange } from './range.js';

/**
 * One instance of the bash cmgr's `~/.cmgr/registry.json` (`{"instances": {name: …}}`, no version),
 * as its `jq` wrote it.
 */
export interface BashInstance {
  readonly name: string;
  readonly sandbox_path: string;
  /** `date -Iseconds`: `2025-05-02T09:12:40+02:00`. */
  readonly created_date: string;
  /** `deb` or `appimage`. */
  readonly build_format: string;
  readonly running: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether parsed `registry.json` content is the bash cmgr's: an object without `version` whose
 * `instances` is an object (possibly empty, as it writes on every run) of entries with a string
 * `sandbox_path` and no field of ours. Anything else is not adopted.
 */
export function isBashRegistry(value: unknown): boolean {
  if (!isObject(value) || Object.hasOwn(value, 'version') || !isObject(value.instances)) return false;
  return Object.values(value.instances).every(
    (entry) => isObject(entry) && typeof entry.sandbox_path === 'string' && !Object.hasOwn(entry, 'base'),
  );
}

/** An instance adopted from the bash cmgr, in the shape of a record of ours without tool ports yet. */
export interface AdoptedInstance {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly sandbox: string;
  /** True: the bash cmgr configured ports for its instances; `start` re-applies them the way cmgr does. */
  readonly ports: true;
  readonly offsets: Readonly<Record<string, number>>;
  readonly tools: readonly [];
  readonly created: string;
}

/** What {@link adoptBashState} made of the bash cmgr's files. */
export interface Adoption {
  readonly instances: readonly AdoptedInstance[];
  /** Entries left out, with why (a name cmgr cannot use, a sandbox that is not an absolute path). */
  readonly skipped: readonly { readonly name: string; readonly why: string }[];
}

/**
 * Turns the bash cmgr's registry (see {@link isBashRegistry}) and its `port_registry.json`
 * (`{"allocated_ports": {name: base}}`) into our instances: the same name and sandbox folder, the base it
 * recorded with its 100 ports (or, when it recorded none or one that overlaps an instance adopted before
 * it, the first free slot of the default grid), `created` from `created_date`. `running` is dropped: it
 * recorded no process. `now` dates an entry whose `created_date` does not parse.
 *
 * @example
 * ```ts
 * adoptBashState(
 *   { instances: { work: { name: 'work', sandbox_path: '/home/me/sandboxes/work', created_date: '2025-05-02T09:12:40+02:00', build_format: 'deb', running: false } } },
 *   { work: 9100 },
 *   new Date(),
 *   ['/home/me/sandboxes'],
 * ).instances[0]; // { name: 'work', base: 9100, size: 100, sandbox: '/home/me/sandboxes/work', ... }
 * ```
 */
export function adoptBashState(
  registry: unknown,
  allocated: Readonly<Record<string, number>>,
  now: Date,
  sandboxParents: readonly string[],
): Adoption {
  const entries = isObject(registry) && isObject(registry.instances) ? registry.instances : {};
  const skipped: { name: string; why: string }[] = [];
  const accepted: { name: string; sandbox: string; created: string; base: number | undefined }[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    if (!INSTANCE_NAME_PATTERN.test(name)) {
      skipped.push({ name, why: 'its name is not one cmgr accepts (a-z, 0-9, "-", "_", at most 32)' });
      continue;
    }
    const sandbox = isObject(entry) ? entry.sandbox_path : undefined;
    // The bash cmgr always wrote `<sandboxes>/<name>`; anything else (`/etc`, `..` in it) is not adopted,
    // since cmgr binds that folder as the instance's home and `remove` deletes it.
    const expected = sandboxParents.map((parent) => `${parent.replace(/\/+$/, '')}/${name}`);
    if (typeof sandbox !== 'string' || !expected.includes(sandbox)) {
      skipped.push({
        name,
        why: `its sandbox_path ${JSON.stringify(sandbox)} is not ${expected.map((e) => JSON.stringify(e)).join(' or ')}`,
      });
      continue;
    }
    const date = new Date(String(isObject(entry) ? entry.created_date : ''));
    const created = Number.isNaN(date.getTime()) ? now.toISOString() : date.toISOString();
    const recorded = Object.hasOwn(allocated, name) ? allocated[name] : undefined;
    const base =
      typeof recorded === 'number' &&
      Number.isInteger(recorded) &&
      recorded >= 1 &&
      recorded + DEFAULT_RANGE_SIZE - 1 <= MAX_PORT
        ? recorded
        : undefined;
    accepted.push({ name, sandbox, created, base });
  }
  // Every recorded base of the port registry is held (also of names not in the registry).
  const taken: PortRange[] = [];
  const range = (base: number): PortRange => ({ start: base, end: base + DEFAULT_RANGE_SIZE - 1 });
  for (const [name, base] of Object.entries(allocated)) {
    if (!accepted.some((a) => a.name === name) && Number.isInteger(base)) taken.push(range(base));
  }
  const instances: AdoptedInstance[] = [];
  const place = (item: (typeof accepted)[number], base: number): void => {
    taken.push(range(base));
    instances.push({
      name: item.name,
      base,
      size: DEFAULT_RANGE_SIZE,
      sandbox: item.sandbox,
      ports: true,
      offsets: {},
      tools: [],
      created: item.created,
    });
  };
  const later: (typeof accepted)[number][] = [];
  for (const item of accepted) {
    const overlaps =
      item.base !== undefined && taken.some((r) => r.start <= item.base! + 99 && item.base! <= r.end);
    if (item.base === undefined || overlaps) later.push(item);
    else place(item, item.base);
  }
  for (const item of later) place(item, instanceRange(firstFreeSlot(taken)).start);
  instances.sort((a, b) => a.name.localeCompare(b.name));
  return { instances, skipped };
}
