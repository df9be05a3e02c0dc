import { mkdir } from 'node:fs/promises';
import { EngineStartError } from './errors.ts';

/** Creates an engine's data folder (and its parents); a failure is a start failure. */
export const ensureDataFolder = async (path: string, engine: string): Promise<void> => {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    throw new EngineStartError(`cannot create ${engine} folder ${path}`, { cause: error });
  }
};
