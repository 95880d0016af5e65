import { describe, expect, it } from 'vitest';
import { commandIndex, loadCommands } from '../../src/cli/commands/index.ts';
import { globalHelp } from '../../src/cli/main.ts';

describe('the command index', () => {
  it('names and summarizes every command exactly as the command itself does', async () => {
    const loaded = await loadCommands();
    expect(loaded.map((c) => [c.name, c.summary])).toEqual(commandIndex.map((c) => [c.name, c.summary]));
  });

  it('names each command once', () => {
    const names = commandIndex.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('lists every command in --help from the index alone', () => {
    const help = globalHelp();
    for (const c of commandIndex) expect(help).toContain(`  ${c.name}`);
  });
});
