import { systemActor } from '@crm/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, stopTestServer, type TestServer } from '../support/test-server';
import { startMailbox, waitFor, type Mailbox } from './support';

/**
 * Email through a real SMTP server this test runs on a loopback port (smtp-server), parsed as a
 * mail client would (mailparser): templates rendered from the record, values HTML-escaped in the
 * HTML body only, refusals retried, and a message that is always refused dead-lettered.
 */
describe('email delivery', () => {
  let server: TestServer;
  let mailbox: Mailbox;

  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await startTestServer({
      engine: {
        jobs: { backoff: { baseMs: 50, maxMs: 200 }, pollIntervalMs: 25, maxAttempts: 3 },
        delivery: { mail: { smtpUrl: mailbox.smtpUrl, from: 'Acme CRM <crm@acme.example>' } },
      },
    });
    await server.engine.jobs.start();
  });
  afterAll(async () => {
    await stopTestServer(server);
    await mailbox?.close();
  });

  const record = { name: 'Big <b>deal</b> & co', amount: '12500.50', stage: 'won', account: { name: 'Acme "Holdings"' }, tags: ['a', 'b'], owner: null };
  const mailTo = (address: string) => mailbox.mails.filter((mail) => (Array.isArray(mail.to) ? mail.to : [mail.to]).some((to) => to?.text.includes(address)));

  it('renders the subject and bodies from the record and sends them over SMTP', async () => {
    const { id } = await server.engine.jobs.enqueue(server.engine.database.db, {
      task: 'email',
      key: 'deal:42:won',
      payload: {
        to: ['Sales <sales@acme.example>'],
        cc: 'boss@acme.example',
        subject: 'Won: {{name}} ({{account.name}})',
        text: 'Amount {{amount}}, stage {{stage}}, owner [{{owner}}], tags {{#tags}}{{.}};{{/tags}}',
        html: '<p>{{name}} for <b>{{account.name}}</b>: {{amount}}</p><p>{{{stage}}}</p>',
        record,
      },
    });
    const [mail] = await waitFor(() => (mailTo('sales@acme.example').length ? mailTo('sales@acme.example') : undefined), 10_000, 'the email');
    expect(mail!.subject).toBe('Won: Big <b>deal</b> & co (Acme "Holdings")');
    expect(mail!.text?.trim()).toBe('Amount 12500.50, stage won, owner [], tags a;b;');
    expect(mail!.html).toBe('<p>Big &lt;b&gt;deal&lt;&#x2F;b&gt; &amp; co for <b>Acme &quot;Holdings&quot;</b>: 12500.50</p><p>won</p>');
    expect(mail!.from?.text).toBe('"Acme CRM" <crm@acme.example>');
    expect((Array.isArray(mail!.cc) ? mail!.cc[0] : mail!.cc)?.text).toBe('boss@acme.example');
    expect(mail!.headers.get('x-crm-delivery')).toBe('deal:42:won');
    expect(mail!.messageId).toMatch(/^<[0-9a-f]{32}@acme\.example>$/);
    const job = await waitFor(async () => {
      const found = await server.engine.jobs.get(systemActor, id);
      return found.state === 'done' ? found : undefined;
    });
    expect(job.output).toMatchObject({ accepted: ['sales@acme.example', 'boss@acme.example'], rejected: [], message_id: mail!.messageId });
  });


  it('writes fields as the job\'s field_texts say (values as the UI shows them), escaped in HTML, sections on the stored values', async () => {
    await server.engine.jobs.enqueue(server.engine.database.db, {
      task: 'email',
      key: 'deal:43:won',
      payload: {
        to: ['texts@acme.example'],
        subject: '{{name}}: {{amount}}',
        text: 'Stage {{stage}}{{#tags}} [{{.}}]{{/tags}}',
        html: '<p>{{amount}} {{stage}}</p>',
        record,
        field_texts: { amount: '¥12,500.50', stage: '赢单 <won>', tags: '重要、转介绍' },
      },
    });
    const [mail] = await waitFor(() => (mailTo('texts@acme.example').length ? mailTo('texts@acme.example') : undefined), 10_000, 'the email');
    expect(mail!.subject).toBe('Big <b>deal</b> & co: ¥12,500.50');
    expect(mail!.text?.trim()).toBe('Stage 赢单 <won> [a] [b]');
    expect(mail!.html).toBe('<p>¥12,500.50 赢单 &lt;won&gt;</p>');
  });
  it('sends a templated-by-the-caller email as written when it carries no record', async () => {
    await server.engine.jobs.enqueue(server.engine.database.db, { task: 'email', payload: { to: 'plain@acme.example', subject: 'Literal {{braces}}', text: 'Hello {{name}}' } });
    const [mail] = await waitFor(() => (mailTo('plain@acme.example').length ? mailTo('plain@acme.example') : undefined));
    expect(mail!.subject).toBe('Literal {{braces}}');
    expect(mail!.text?.trim()).toBe('Hello {{name}}');
  });

  it('retries a refused message and delivers it once', async () => {
    mailbox.refusals.set('retry@acme.example', 1);
    const { id } = await server.engine.jobs.enqueue(server.engine.database.db, { task: 'email', payload: { to: 'retry@acme.example', subject: 'Try {{n}}', text: 'x', record: { n: 2 } } });
    await waitFor(() => mailTo('retry@acme.example').length === 1);
    const job = await waitFor(async () => {
      const found = await server.engine.jobs.get(systemActor, id);
      return found.state === 'done' ? found : undefined;
    });
    expect(job.attempts).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(mailTo('retry@acme.example')).toHaveLength(1);
    expect(mailTo('retry@acme.example')[0]!.subject).toBe('Try 2');
  });

  it('dead-letters a message the server keeps refusing, with the refusal as its error', async () => {
    mailbox.refusals.set('never@acme.example', 10);
    const { id } = await server.engine.jobs.enqueue(server.engine.database.db, { task: 'email', payload: { to: 'never@acme.example', subject: 'No', text: 'x' } });
    const dead = await waitFor(async () => {
      const response = await server.api('GET', '/api/jobs?state=dead&task=email');
      return response.body.data.find((job: { id: string }) => job.id === id);
    }, 10_000, 'dead letter');
    expect(dead).toMatchObject({ attempts: 3, task: 'email' });
    expect(dead.last_error).toContain('451');
    expect(mailTo('never@acme.example')).toHaveLength(0);
  });
});
