/**
 * The console's own requests on the real engine: who may sign in as whom, and what each
 * role's directory and the organisation list, following the API's access rules; a bad
 * stored record degrades a list instead of failing it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevKeys, type DevKeys } from '../../../src/local/aws/auth/dev-keys.ts';
import { signDevToken, verifyDevToken } from '../../../src/local/aws/auth/tokens.ts';
import { ConsoleApi, type ConsoleReply } from '../../../src/local/console/console-api.ts';
import type { DemoIdentities } from '../../../src/local/demo-identities.ts';
import { ForbiddenError } from '../../../src/services/access/errors.ts';
import { assertMayReadClass, assertMayReadStudent } from '../../../src/services/access/policy.ts';
import type { Principal } from '../../../src/services/access/principal.ts';
import { klass, module, student } from '../../support/fixtures.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

let t: TestDb;
let keys: DevKeys;
let api: ConsoleApi;
const ID_CLAIM = 'cognito:username';

const demo: DemoIdentities = {
  teacherId: 't-1',
  otherTeacherId: 't-2',
  classCode: 'c-1',
  moduleId: 'm-1',
  word: 'apple',
  studentId: 's-1',
  parentId: 'p-1',
};

beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  keys = await createDevKeys();
  await t.db.groups.putMany([{ code: 'g-1', name: 'Group 1', stats: { schools: 2 } }]);
  await t.db.schools.putMany([
    { code: 'sc-1', name: 'School 1', group_code: 'g-1' },
    { code: 'sc-2', name: 'School 2', group_code: 'g-gone' },
  ]);
  await t.db.teachers.putMany([
    { id: 't-1', name: 'Ms One', school_code: 'sc-1' },
    { id: 't-2', name: 'Mr Two', school_code: 'sc-1' },
  ]);
  await t.db.classes.putMany([
    klass('c-1', { teacher_id: 't-1', level: 1 }),
    klass('c-3', { teacher_id: 't-1', level: 2 }),
    klass('c-2', { teacher_id: 't-2', level: 1, stats: { students: 1 } }),
  ]);
  await t.db.modules.putMany([
    module('m-2', { level: 1, title: 'Two' }),
    module('m-1', { level: 1, title: 'One', words: ['a', 'b'] }),
    module('m-9', { level: 2 }),
  ]);
  await t.db.students.putMany([
    student('s-1', { name: 'Zoe', class_code: 'c-1', parent_ids: ['p-1'] }),
    student('s-2', { name: 'Amy', class_code: 'c-2', parent_ids: ['p-1'] }),
  ]);
  await t.db.parents.putMany([
    { id: 'p-1', name: 'Pat', student_ids: ['s-1', 's-2', 's-gone', ''] },
  ]);
  // A class the LMS app stored without a name: it is left out and named, not a failure.
  await t.plant('classes', { code: 'c-bad', teacher_id: 't-1' });
  api = new ConsoleApi({ db: t.db, keys, idClaim: ID_CLAIM, demo, timezone: 'Asia/Shanghai' });
});
afterAll(async () => {
  await t?.destroy();
});

const get = async (path: string, token?: string): Promise<ConsoleReply> =>
  api.handle({
    method: 'GET',
    path,
    authorization: token === undefined ? undefined : `Bearer ${token}`,
    body: Buffer.alloc(0),
  });

const signIn = (body: unknown) =>
  api.handle({
    method: 'POST',
    path: 'sign-in',
    authorization: undefined,
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  });

const tokenFor = async (role: string, id: string) => {
  const reply = await signIn({ role, id });
  expect(reply.status).toBe(200);
  const body = reply.body as { token: string };
  return body.token;
};

describe('console identities and sign-in', () => {
  it('lists the demo identities with their names and homes, and another teacher', async () => {
    const reply = await get('identities');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      identities: [
        {
          role: 'teacher',
          id: 't-1',
          name: 'Ms One',
          label: 'demo teacher',
          home: '#/classes/c-1/modules/m-1/results',
        },
        {
          role: 'parent',
          id: 'p-1',
          name: 'Pat',
          label: 'demo parent',
          home: '#/parents/p-1/summary',
        },
        {
          role: 'student',
          id: 's-1',
          name: 'Zoe',
          label: 'demo student',
          home: '#/students/s-1/progress',
        },
        { role: 'admin', id: 'admin', name: null, label: 'admin', home: '#/organisation' },
        { role: 'teacher', id: 't-2', name: 'Mr Two', label: 'another teacher', home: '#/classes' },
      ],
    });
  });

  it('mints a token for a listed identity only, that the API authorizer accepts', async () => {
    const reply = await signIn({ role: 'teacher', id: 't-1' });
    expect(reply.status).toBe(200);
    const body = reply.body as { token: string; role: string; id: string; expires_at: string };
    expect(body).toMatchObject({ role: 'teacher', id: 't-1', timezone: 'Asia/Shanghai' });
    expect(Date.parse(body.expires_at)).toBeGreaterThan(Date.now());
    const verified = await verifyDevToken(keys, body.token);
    expect(verified.ok && verified.claims[ID_CLAIM]).toBe('t-1');

    expect((await signIn({ role: 'admin', id: 't-1' })).status).toBe(404);
    expect((await signIn({ role: 'service', id: 'lms-app' })).status).toBe(404);
    expect(await signIn('{not json')).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_JSON' } },
    });
    expect(await signIn({ role: 'teacher' })).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_REQUEST' } },
    });
  });

  it('answers unknown routes and wrong methods with JSON errors', async () => {
    expect(await get('__proto__')).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND' } },
    });
    expect(await get('sign-in')).toMatchObject({
      status: 405,
      body: { error: { code: 'METHOD_NOT_ALLOWED' } },
    });
  });
});

describe('the directory follows the access rules', () => {
  it('without a valid token it is the authorizer 401', async () => {
    expect(await get('directory')).toEqual({ status: 401, body: { message: 'Unauthorized' } });
    const foreign = await signDevToken(await createDevKeys(), { id: 't-1', role: 'teacher' });
    expect((await get('directory', foreign)).status).toBe(401);
  });

  it('a teacher gets only its classes, each with the modules of its level, and the bad record named', async () => {
    const reply = await get('directory', await tokenFor('teacher', 't-1'));
    expect(reply.status).toBe(200);
    const body = reply.body as {
      principal: unknown;
      classes: {
        code: string;
        teacher_name: string | null;
        modules: { id: string; title: string; words_total: number }[];
      }[];
      students: unknown[];
      warnings: string[];
    };
    expect(body.principal).toEqual({ role: 'teacher', id: 't-1', name: 'Ms One' });
    expect(body.classes.map((c) => c.code)).toEqual(['c-1', 'c-3']);
    // The teacher by name, for the classes list.
    expect(body.classes.map((c) => c.teacher_name)).toEqual(['Ms One', 'Ms One']);
    expect(body.classes[0]?.modules).toEqual([
      { id: 'm-1', title: 'One', words_total: 2 },
      { id: 'm-2', title: 'Two', words_total: 3 },
    ]);
    expect(body.classes[1]?.modules.map((m) => m.id)).toEqual(['m-9']);
    expect(body.students).toEqual([]);
    expect(body.warnings).toHaveLength(1);
    expect(body.warnings[0]).toContain('c-bad');
  });

  it('another teacher does not get the demo class', async () => {
    const body = (await get('directory', await tokenFor('teacher', 't-2'))).body as {
      classes: { code: string }[];
    };
    expect(body.classes.map((c) => c.code)).toEqual(['c-2']);
  });

  it('a parent gets its existing children by name, a student itself, no classes', async () => {
    const parent = (await get('directory', await tokenFor('parent', 'p-1'))).body as {
      classes: unknown[];
      students: unknown[];
    };
    expect(parent.classes).toEqual([]);
    expect(parent.students).toEqual([
      { id: 's-2', name: 'Amy', class_code: 'c-2', class_name: 'Class c-2' },
      { id: 's-1', name: 'Zoe', class_code: 'c-1', class_name: 'Class c-1' },
    ]);
    const own = (await get('directory', await tokenFor('student', 's-1'))).body as {
      students: unknown[];
    };
    expect(own.students).toEqual([
      { id: 's-1', name: 'Zoe', class_code: 'c-1', class_name: 'Class c-1' },
    ]);
  });

  it('lists exactly the classes and students the access policy lets each caller open', async () => {
    const classes = await t.db.classes.get({}, { scan: true, onInvalid: () => {} });
    const students = await t.db.students.get({}, { scan: true });
    const mayOpen = async (check: () => void | Promise<void>) => {
      try {
        await check();
        return true;
      } catch (error) {
        if (error instanceof ForbiddenError) return false;
        throw error;
      }
    };
    const callers: Principal[] = [
      { role: 'teacher', sub: 't-1' },
      { role: 'teacher', sub: 't-2' },
      { role: 'teacher', sub: 't-none' },
      { role: 'admin', sub: 'admin' },
      { role: 'parent', sub: 'p-1' },
      { role: 'student', sub: 's-2' },
    ];
    for (const principal of callers) {
      const body = (
        await get(
          'directory',
          // Any caller, not only the demo identities the sign-in offers.
          await signDevToken(keys, { id: principal.sub, role: principal.role, idClaim: ID_CLAIM }),
        )
      ).body as {
        classes: { code: string }[];
        students: { id: string }[];
      };
      const allowedClasses: string[] = [];
      for (const c of classes) {
        if (await mayOpen(() => assertMayReadClass(principal, c))) allowedClasses.push(c.code);
      }
      expect(body.classes.map((c) => c.code).sort(), principal.sub).toEqual(allowedClasses.sort());
      // A teacher and an admin reach students through classes: the directory lists a
      // caller's own (a parent's children, a student itself), each one the policy allows.
      for (const { id } of body.students) {
        expect(await mayOpen(() => assertMayReadStudent(t.db, principal, id)), id).toBe(true);
      }
      if (principal.role === 'parent' || principal.role === 'student') {
        const own: string[] = [];
        for (const s of students) {
          if (await mayOpen(() => assertMayReadStudent(t.db, principal, s.id))) own.push(s.id);
        }
        expect(body.students.map((s) => s.id).sort(), principal.sub).toEqual(own.sort());
      }
    }
  });

  it('the organisation is an admin view: every record with its stats, dangling links kept', async () => {
    expect(await get('organisation', await tokenFor('teacher', 't-1'))).toMatchObject({
      status: 403,
      body: { error: { code: 'FORBIDDEN' } },
    });
    const reply = await get('organisation', await tokenFor('admin', 'admin'));
    expect(reply.status).toBe(200);
    const body = reply.body as {
      groups: unknown[];
      schools: { code: string; group_code: string | null }[];
      teachers: { id: string }[];
      classes: { code: string; stats: unknown }[];
      warnings: string[];
    };
    expect(body.groups).toEqual([{ code: 'g-1', name: 'Group 1', stats: { schools: 2 } }]);
    expect(body.schools.map((s) => [s.code, s.group_code])).toEqual([
      ['sc-1', 'g-1'],
      ['sc-2', 'g-gone'],
    ]);
    expect(body.teachers.map((x) => x.id)).toEqual(['t-1', 't-2']);
    expect(body.classes.map((c) => [c.code, c.stats])).toEqual([
      ['c-1', null],
      ['c-2', { students: 1 }],
      ['c-3', null],
    ]);
    expect(body.warnings.join(' ')).toContain('c-bad');
  });
});
