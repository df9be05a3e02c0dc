/** `#/`: choose one of the stack's demo identities; the stack signs a token for it. */
import { request } from '../api.ts';
import { h } from '../dom.ts';
import { local } from '../endpoints.ts';
import { identitiesSchema, signInSchema } from '../schemas.ts';
import { saveSession } from '../session.ts';
import type { ViewContext } from '../view.ts';

export const signInView = async (context: ViewContext): Promise<Node> => {
  context.title('Sign in');
  const { identities } = await request(local.identities(), identitiesSchema, {
    signal: context.signal,
    token: false,
  });
  const status = h('p', { role: 'status' });
  const list = h(
    'ul',
    { class: 'identities' },
    identities.map((identity) =>
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            'data-identity': identity.label,
            onclick: async () => {
              status.textContent = `Signing in as ${identity.label}…`;
              try {
                const signed = await request(local.signIn(), signInSchema, {
                  signal: context.signal,
                  method: 'POST',
                  body: { role: identity.role, id: identity.id },
                  token: false,
                });
                saveSession({
                  ...signed,
                  label: identity.label,
                  name: identity.name,
                  home: identity.home,
                });
                location.hash = identity.home;
              } catch (error) {
                status.textContent = error instanceof Error ? error.message : String(error);
              }
            },
          },
          h('strong', {}, identity.label),
          h(
            'span',
            { class: 'identity-detail' },
            identity.name === null
              ? `${identity.role} ${identity.id}`
              : `${identity.name} · ${identity.role} ${identity.id}`,
          ),
        ),
      ),
    ),
  );
  return h(
    'section',
    { class: 'sign-in' },
    h('h1', {}, 'Sign in'),
    h(
      'p',
      {},
      'Choose who to be. The stack signs a token for that identity, and every page then asks the API with it: you see what the API lets that person see.',
    ),
    identities.length === 0
      ? h('p', { class: 'error', role: 'alert' }, 'This stack has no demo identities (no data?).')
      : list,
    status,
  );
};
