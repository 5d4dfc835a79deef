// GraphiQL for dailyreports: mounted on the page's #graphiql element, it
// talks to the GraphQL endpoint named by that element's data-endpoint, on the
// page's own origin. The bearer token goes in GraphiQL's Headers editor; it
// is not persisted (GraphiQL keeps headers only when told to).
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';
import './page.css';

const defaultQuery = `# dailyreports GraphQL API
#
# Put a bearer token in Headers (below):
#   {"Authorization": "Bearer eyJ…"}
# dailyreports token --scope host_admin
# prints one for a host administrator.

query Viewer {
  viewer {
    subject
    scopes
    tenant { id name }
  }
}
`;

const root = document.getElementById('graphiql');
const fetcher = createGraphiQLFetcher({ url: root.dataset.endpoint });
createRoot(root).render(createElement(GraphiQL, { fetcher, defaultQuery }));
