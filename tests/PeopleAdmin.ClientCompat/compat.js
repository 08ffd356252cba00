// Drives the official Customer.io Node client (customerio-node, pinned in package.json) against a running
// PeopleAdmin. Usage: node compat.js <baseUrl> <siteId> <trackApiKey> <appApiKey>
// Prints one line per step and exits with the number of failed steps (0 when everything worked).
'use strict';
const assert = require('node:assert/strict');
const { TrackClient, APIClient } = require('customerio-node');

const [baseUrl, siteId, trackKey, appKey] = process.argv.slice(2);
if (!appKey) {
  console.error('usage: node compat.js <baseUrl> <siteId> <trackApiKey> <appApiKey>');
  process.exit(64);
}

const noRetries = { retry: { maxRetries: 0 } };
const track = new TrackClient(siteId, trackKey, { url: `${baseUrl}/api/v1`, ...noRetries });
const api = new APIClient(appKey, { url: `${baseUrl}/v1`, ...noRetries });
const run = Date.now().toString(36);
const id = `compat-${run}`;
const email = `compat-${run}@example.com`;
const other = `compat-other-${run}`;
let failures = 0;

async function step(name, action) {
  try {
    await action();
    console.log(`ok   ${name}`);
  } catch (error) {
    failures++;
    const detail = error.statusCode ? `${error.statusCode} ${JSON.stringify(error.response && error.response.body || error.message)}` : error.message;
    console.log(`FAIL ${name}: ${detail}`);
  }
}

const attributes = async (value, type) => (await api.getAttributes(value, type)).customer;
const cioIdOf = async (value, type) => (await attributes(value, type)).identifiers.cio_id;

(async () => {
  await step('identify by id', async () => {
    assert.deepEqual(await track.identify(id, { email, plan: 'pro', seats: 3 }), {});
  });
  await step('identify by email', async () => {
    assert.deepEqual(await track.identify(email, { company: 'Acme' }), {});
  });
  await step('getCustomersByEmail', async () => {
    const { results } = await api.getCustomersByEmail(email.toUpperCase());
    assert.equal(results.length, 1);
    assert.equal(results[0].id, id);
  });
  await step('getAttributes by id, email and cio_id', async () => {
    const byId = await attributes(id, 'id');
    assert.equal(byId.attributes.plan, 'pro');
    assert.equal(byId.attributes.seats, '3');
    assert.equal(byId.attributes.company, 'Acme');
    const byEmail = await attributes(email, 'email');
    assert.equal(byEmail.identifiers.id, id);
    const byCio = await attributes(byId.identifiers.cio_id, 'cio_id');
    assert.equal(byCio.identifiers.email, email);
  });
  await step('identify by cio_ changes the id', async () => {
    const cioId = await cioIdOf(id, 'id');
    assert.deepEqual(await track.identify(`cio_${cioId}`, { id: `${id}-renamed` }), {});
    assert.equal((await attributes(cioId, 'cio_id')).identifiers.id, `${id}-renamed`);
    assert.deepEqual(await track.identify(`cio_${cioId}`, { id }), {});
  });
  await step('event', async () => {
    assert.deepEqual(await track.track(id, { name: 'purchase', data: { price: 23.5 } }), {});
  });
  await step('event with data: null', async () => {
    assert.deepEqual(await track.track(id, { name: 'ping', data: null }), {});
  });
  await step('page view', async () => {
    assert.deepEqual(await track.trackPageView(id, 'https://example.com/pricing'), {});
  });
  await step('anonymous event', async () => {
    assert.deepEqual(await track.trackAnonymous(`anon-${run}`, { name: 'visited', data: { from: 'ad' } }), {});
  });
  await step('add and delete a device', async () => {
    assert.deepEqual(await track.addDevice(id, `token-${run}`, 'ios', { last_used: 1700000000, app_version: '1.2' }), {});
    const devices = (await attributes(id, 'id')).devices;
    assert.equal(devices.length, 1);
    assert.equal(devices[0].last_used, 1700000000);
    assert.deepEqual(await track.deleteDevice(id, `token-${run}`), {});
    assert.equal((await attributes(id, 'id')).devices.length, 0);
  });
  await step('merge', async () => {
    assert.deepEqual(await track.identify(other, { nickname: 'other' }), {});
    assert.deepEqual(await track.mergeCustomers('id', id, 'id', other), {});
    assert.equal((await attributes(id, 'id')).attributes.nickname, 'other');
  });
  await step('suppress and unsuppress', async () => {
    const suppressed = `compat-suppressed-${run}`;
    assert.deepEqual(await track.identify(suppressed, {}), {});
    assert.deepEqual(await track.suppress(suppressed), {});
    await assert.rejects(attributes(suppressed, 'id'), e => e.statusCode === 404);
    assert.deepEqual(await track.unsuppress(suppressed), {});
    assert.deepEqual(await track.identify(suppressed, { back: true }), {});
    assert.equal((await attributes(suppressed, 'id')).attributes.back, 'true');
  });
  await step('v2 batch', async () => {
    assert.deepEqual(await track.batch([
      { type: 'person', action: 'identify', identifiers: { id: `batch-1-${run}` }, attributes: { plan: 'free' } },
      { type: 'person', action: 'event', identifiers: { id: `batch-1-${run}` }, name: 'signed_up' },
    ]), {});
    assert.equal((await attributes(`batch-1-${run}`, 'id')).attributes.plan, 'free');
  });
  await step('delete', async () => {
    assert.deepEqual(await track.destroy(id), {});
    await assert.rejects(attributes(id, 'id'), e => e.statusCode === 404);
  });
  await step('wrong key is a CustomerIORequestError 401', async () => {
    const wrong = new TrackClient(siteId, 'wrong', { url: `${baseUrl}/api/v1`, ...noRetries });
    await assert.rejects(wrong.identify(id, {}), e => e.statusCode === 401);
  });
  process.exit(failures);
})();
