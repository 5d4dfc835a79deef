// The console's whole conversation with the service: the session token,
// the client-credentials sign-in, and every GraphQL operation it sends.
// Nothing else in the console builds a request.

const root = document.documentElement.dataset.root || '';
const KEY = 'dailyreports.token';

// ApiError is a failed request, with the GraphQL extensions.code (or an
// OAuth error code, or NETWORK) that errors.js turns into a sentence.
export class ApiError extends Error {
  constructor(code, message, retryAfter) {
    super(message || code);
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

// The token lives in this tab's sessionStorage only: closing the tab or
// signing out forgets it.
export const session = {
  token: () => sessionStorage.getItem(KEY),
  set: (t) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
  // expired reports whether the token's exp claim has passed; a token that
  // is not a readable JWT is left for the service to judge.
  expired() {
    const t = this.token();
    try {
      const claims = JSON.parse(atob(t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      return typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now();
    } catch {
      return false;
    }
  },
};

// tokenFor exchanges client credentials for an access token (RFC 6749
// §4.4), as any OAuth client does.
export async function tokenFor(clientId, secret) {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret });
  const resp = await request(root + '/connect/token', {
    method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    // A 401 answer asks for HTTP Basic: without credentials mode
    // "include" the browser shows no password prompt for it.
    credentials: 'omit',
  });
  const json = await resp.json().catch(() => ({}));
  if (!resp.ok) throw new ApiError(json.error || 'INTERNAL', json.error_description, resp.headers.get('Retry-After'));
  return json.access_token;
}

async function request(url, init) {
  try {
    return await fetch(url, init);
  } catch {
    throw new ApiError('NETWORK');
  }
}

// graphql runs one operation with the session's token and returns its data;
// the first error becomes an ApiError.
export async function graphql(query, variables = {}, token = session.token()) {
  const resp = await request(root + '/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json', Authorization: 'Bearer ' + token },
    body: JSON.stringify({ query, variables }),
  });
  const json = await resp.json().catch(() => null);
  if (!json) throw new ApiError(resp.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL');
  if (json.errors && json.errors.length) {
    const e = json.errors[0];
    const ext = e.extensions || {};
    throw new ApiError(ext.code || 'INTERNAL', e.message, ext.retryAfter);
  }
  return json.data;
}

const hourFields = 'utcHour status conversationCount messageCount sizeBytes sha256 generatedAt attempts';
const tenantFields = 'id name createdAt reportSettings { enabled retentionMonths }';
const clientFields = 'clientId name tenant { id name } scopes createdAt revokedAt lastUsedAt';
const deliveryFields = 'id type status attempt responseStatus at';

// DELIVERIES is how many of a webhook's latest deliveries the console
// shows; asking their attempts too stays under the complexity limit.
export const DELIVERIES = 5;

// The operations, by what the console does with them.
export const api = {
  viewer: (token) => graphql(`query Viewer { viewer { subject scopes tenant { ${tenantFields} } } }`, {}, token),

  day: (utcDay, tenantId, host) => graphql(`query Day($utcDay: Date!, $tenantId: ID) {
    dailyReport(utcDay: $utcDay, tenantId: $tenantId) { utcDay hours { ${hourFields}${host ? ' lastError' : ''} } } }`, { utcDay, tenantId }),

  hour: (utcDay, utcHour, tenantId) => graphql(`query Hour($utcDay: Date!, $utcHour: Int!, $tenantId: ID) {
    hourlyReport(utcDay: $utcDay, utcHour: $utcHour, tenantId: $tenantId) { ${hourFields} objectKey downloadUrl { url expiresAt } } }`,
  { utcDay, utcHour, tenantId }),

  preview: (utcDay, utcHour, tenantId) => graphql(`query Preview($utcDay: Date!, $utcHour: Int!, $tenantId: ID) {
    hourlyReport(utcDay: $utcDay, utcHour: $utcHour, tenantId: $tenantId) { data } }`, { utcDay, utcHour, tenantId }),

  tenants: (first, after, name) => graphql(`query Tenants($first: Int, $after: Cursor, $name: String) {
    tenants(first: $first, after: $after, name: $name) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${tenantFields} } } } }`,
  { first, after, name }),

  tenant: (id) => graphql(`query Tenant($id: ID!) { tenant(id: $id) { ${tenantFields}
    auditLog(first: 20) { at actor before { enabled retentionMonths } after { enabled retentionMonths } } } }`, { id }),

  tenantNames: (ids) => graphql(`query Names($ids: [ID!]!) { nodes(ids: $ids) { ... on Tenant { id name } } }`, { ids }),

  createTenant: (input) => graphql(`mutation CreateTenant($input: CreateTenantInput!) { createTenant(input: $input) { ${tenantFields} } }`, { input }),

  updateSettings: (input) => graphql(`mutation UpdateSettings($input: UpdateTenantReportSettingsInput!) {
    updateTenantReportSettings(input: $input) { ${tenantFields} } }`, { input }),

  clients: (tenantId, after) => graphql(`query Clients($tenantId: ID, $after: Cursor) {
    apiClients(tenantId: $tenantId, first: 20, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ${clientFields} } } } }`,
  { tenantId, after }),

  createClient: (input) => graphql(`mutation CreateClient($input: CreateApiClientInput!) {
    createApiClient(input: $input) { clientId clientSecret scopes } }`, { input }),

  revokeClient: (clientId) => graphql('mutation Revoke($clientId: String!) { revokeApiClient(clientId: $clientId) }', { clientId }),

  runs: (after) => graphql(`query Runs($after: Cursor) { generationRuns(first: 10, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id utcDay trigger status startedAt finishedAt tenants chunks stored failed
      passes { attempt chunks stored failed startedAt finishedAt } } } } }`, { after }),

  failed: () => graphql('query Failed { failedReports(first: 50) { tenantId utcDay utcHour status attempts lastError } }'),

  webhooks: (tenantId) => graphql(`query Webhooks($tenantId: ID) { webhooks(tenantId: $tenantId) {
    id url events createdAt deliveries(first: ${DELIVERIES}) { ${deliveryFields} } } }`, { tenantId }),

  attempts: (tenantId) => graphql(`query Attempts($tenantId: ID) { webhooks(tenantId: $tenantId) {
    id deliveries(first: ${DELIVERIES}) { id attempts { attempt at responseStatus error durationMs } } } }`, { tenantId }),

  createWebhook: (input) => graphql(`mutation CreateWebhook($input: CreateWebhookInput!) {
    createWebhook(input: $input) { webhook { id url events } secret } }`, { input }),

  deleteWebhook: (id) => graphql('mutation DeleteWebhook($id: ID!) { deleteWebhook(id: $id) }', { id }),

  testWebhook: (id) => graphql(`mutation TestWebhook($id: ID!) { testWebhook(id: $id) { ${deliveryFields} } }`, { id }),

  regenerate: (input) => graphql(`mutation Regenerate($input: RegenerateReportsInput!) {
    regenerateReports(input: $input) { enqueued } }`, { input }),
};

// path is the URL of a route of the console.
export const path = (route) => root + '/console/' + route.replace(/^\//, '');
