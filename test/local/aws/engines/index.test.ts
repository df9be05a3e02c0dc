import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  createEngine,
  DynaliteEngine,
  DynamoDbLocalEngine,
  ENGINE_KINDS,
  EngineKind,
  ExternalEngine,
  isEngineKind,
  isProcessAlive,
} from '../../../../src/local/aws/engines/index.ts';
import { OutputTail } from '../../../../src/local/aws/engines/output-tail.ts';

describe('createEngine', () => {
  it('builds the engine each kind names, without starting it', () => {
    const dynalite = createEngine({ kind: 'dynalite' });
    expect(dynalite).toBeInstanceOf(DynaliteEngine);
    expect(dynalite.kind).toBe('dynalite');

    const local = createEngine({ kind: 'dynamodb-local', port: 0 });
    expect(local).toBeInstanceOf(DynamoDbLocalEngine);
    expect(local.kind).toBe('dynamodb-local');
    expect(local.pid).toBeUndefined();

    const external = createEngine({ kind: 'external', endpoint: 'http://localhost:8000' });
    expect(external).toBeInstanceOf(ExternalEngine);
    expect(external.kind).toBe('external');

    for (const engine of [dynalite, local, external]) {
      expect(() => engine.endpoint).toThrow(
        expect.objectContaining({ code: 'ENGINE_NOT_STARTED' }),
      );
    }
  });

  it('requires an endpoint for external and a valid port', () => {
    expect(() => createEngine({ kind: 'external' })).toThrow(
      expect.objectContaining({ code: 'ENGINE_INVALID_OPTIONS' }),
    );
    expect(() => createEngine({ kind: 'dynalite', port: -1 })).toThrow(
      expect.objectContaining({ code: 'ENGINE_INVALID_OPTIONS' }),
    );
    expect(() => createEngine({ kind: 'dynamodb-local', port: 1.5 })).toThrow(
      expect.objectContaining({ code: 'ENGINE_INVALID_OPTIONS' }),
    );
  });

  it('passes path and port through to a working engine', async () => {
    const engine = createEngine({ kind: 'dynalite', port: 0 });
    await engine.start();
    try {
      expect(engine.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    } finally {
      await engine.stop();
    }
  });
});

describe('EngineKind', () => {
  it('lists every kind and recognises only those', () => {
    expect(ENGINE_KINDS).toEqual(['dynalite', 'dynamodb-local', 'external']);
    expect(EngineKind.DynamoDbLocal).toBe('dynamodb-local');
    expect(isEngineKind('dynalite')).toBe(true);
    expect(isEngineKind('dynamodb')).toBe(false);
    expect(isEngineKind(undefined)).toBe(false);
  });
});

describe('isProcessAlive', () => {
  it('is true for a running process and false once it has exited', async () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    });
    const pid = child.pid;
    expect(pid).toBeTypeOf('number');
    if (pid === undefined) return;
    expect(isProcessAlive(pid)).toBe(true);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(isProcessAlive(pid)).toBe(false);
  });
});

describe('OutputTail', () => {
  it('keeps the last lines, joining lines split across chunks', () => {
    const tail = new OutputTail(3);
    tail.push('stdout', 'one\ntw');
    tail.push('stderr', 'err-a\n');
    tail.push('stdout', 'o\nthree\r\n\nfou');
    expect(tail.lines()).toEqual(['[stderr] err-a', '[stdout] two', '[stdout] three']);
    tail.flush('stdout');
    expect(tail.lines()).toEqual(['[stdout] two', '[stdout] three', '[stdout] fou']);
    expect(tail.format()).toBe('  [stdout] two\n  [stdout] three\n  [stdout] fou');
    expect(new OutputTail().format()).toBe('  (no output)');
  });
});
