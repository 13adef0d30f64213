import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createCmgrHome } from './helpers.js';

describe('concurrent cmgr processes', () => {
  it('10 creates at once get 10 distinct, non-overlapping slots, and both state files stay valid', async () => {
    await using home = await createCmgrHome();
    const names = Array.from({ length: 10 }, (_, i) => `inst-${i}`);
    const results = await Promise.all(names.map((name) => home.run(['create', name])));
    for (const [i, result] of results.entries()) expect(result.code, `${names[i]}: ${result.stderr}`).toBe(0);

    const registry = await home.registry();
    const ports = await home.portRegistry();
    expect(Object.keys(registry.instances).sort()).toEqual([...names].sort());
    expect(Object.keys(ports.allocated_ports).sort()).toEqual([...names].sort());
    const bases = names.map((name) => registry.instances[name]!.base).sort((a, b) => a - b);
    expect(bases).toEqual(Array.from({ length: 10 }, (_, i) => 9000 + 100 * i));
    for (const name of names) expect(ports.allocated_ports[name]).toBe(registry.instances[name]!.base);
    // No temp file or lock left behind.
    expect((await readdir(home.cmgrHome)).sort()).toEqual(['port_registry.json', 'registry.json']);
    for (const name of names) {
      await expect(
        readFile(`${home.sandbox(name)}/.config/Claude/claude_desktop_config.json`, 'utf8'),
      ).resolves.toBeTruthy();
    }
  });

  it('10 concurrent removes and creates leave consistent state', async () => {
    await using home = await createCmgrHome();
    for (let i = 0; i < 5; i += 1) await home.run(['create', `old-${i}`]);
    const runs = [
      ...Array.from({ length: 5 }, (_, i) => home.run(['remove', `old-${i}`, '--yes'])),
      ...Array.from({ length: 5 }, (_, i) => home.run(['create', `new-${i}`])),
    ];
    for (const result of await Promise.all(runs)) expect(result.code, result.stderr).toBe(0);
    const registry = await home.registry();
    const ports = await home.portRegistry();
    expect(Object.keys(registry.instances).sort()).toEqual(['new-0', 'new-1', 'new-2', 'new-3', 'new-4']);
    expect(Object.keys(ports.allocated_ports).sort()).toEqual(Object.keys(registry.instances).sort());
    const bases = Object.values(registry.instances).map((r) => r.base);
    expect(new Set(bases).size).toBe(5);
  });
});
