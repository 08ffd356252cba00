using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PeopleAdmin.Web.Features.Apis;

/// <summary>One OpenAPI document for the Track, App and management APIs, and a reference page that reads it offline.</summary>
internal static class ApiDocumentation
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api-reference";

    private const string TrackScheme = "track_basic";
    private const string AppScheme = "app_bearer";
    private const string AdminScheme = "admin_bearer";
    private const string BrowserScheme = "browser_site_id";

    public static WebApplicationBuilder AddApiDocumentation(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.ShouldInclude = description => description.RelativePath is { } path
                && (path.StartsWith("api/", StringComparison.Ordinal) || path.StartsWith("v1/", StringComparison.Ordinal) || path.StartsWith("forms/", StringComparison.Ordinal));
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "PeopleAdmin HTTP APIs",
                    Version = "v1",
                    Description = "Customer.io's Track API (v1, v2) and App API people endpoints, wire-compatible with the official clients, and PeopleAdmin's management API.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [TrackScheme] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "basic", Description = "site_id:track_api_key of a workspace; the URL-safe base64 alphabet is accepted too." },
                    [AppScheme] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "A workspace's App API key." },
                    [AdminScheme] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An operator's personal token (made on /account/tokens), acting with that operator's role, or the token set in PeopleAdmin__Admin__ApiToken, acting as the Owner. Every role reads; changes need an Admin or the Owner (403 otherwise)." },
                    [BrowserScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Query,
                        Name = "site_id",
                        Description = "The browser snippet's: a workspace's public site id alone (or the X-Site-Id header), so every write follows the public-source rules.",
                    },
                };
                WireSchemas.Apply(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var path = context.Description.RelativePath ?? "";
                if (path.StartsWith("forms/", StringComparison.Ordinal))
                {
                    // The hosted form action is public: a page on any website posts to it without credentials.
                    return Task.CompletedTask;
                }

                var scheme = path.StartsWith("api/admin/", StringComparison.Ordinal) ? AdminScheme
                    : path.StartsWith("api/v1/browser/", StringComparison.Ordinal) ? BrowserScheme
                    : path.StartsWith("api/", StringComparison.Ordinal) ? TrackScheme
                    : AppScheme;
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }];
                operation.RequestBody?.Content?.Remove(ApiGuardExtensions.AnyType);
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapApiDocumentation(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentPath).AllowAnonymous();
        endpoints.MapGet(ReferencePath, () => TypedResults.Content(ReferencePage, "text/html; charset=utf-8"))
            .AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>A self-contained page (no CDN, no external script) that lists the document's operations and schemas.</summary>
    private const string ReferencePage = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>PeopleAdmin HTTP API reference</title>
        <style>
          body { font-family: system-ui, sans-serif; margin: 0; color: #1d2433; background: #f7f8fa; }
          header { background: #1d2433; color: #fff; padding: 16px 32px; }
          main { max-width: 1100px; margin: 0 auto; padding: 16px 32px 64px; }
          h2 { margin-top: 32px; border-bottom: 1px solid #d0d5dd; padding-bottom: 4px; }
          details { background: #fff; border: 1px solid #d0d5dd; border-radius: 6px; margin: 8px 0; }
          summary { cursor: pointer; padding: 8px 12px; font-family: ui-monospace, monospace; }
          .method { display: inline-block; min-width: 64px; font-weight: 700; }
          .GET { color: #1570ef; } .POST { color: #079455; } .PUT { color: #b54708; } .PATCH { color: #6941c6; } .DELETE { color: #d92d20; }
          .body { padding: 0 16px 12px; }
          pre { background: #f2f4f7; padding: 8px; overflow-x: auto; font-size: 12px; }
          table { border-collapse: collapse; } td, th { text-align: left; padding: 2px 12px 2px 0; vertical-align: top; }
          table.properties td:first-child { font-family: ui-monospace, monospace; white-space: nowrap; }
          table.properties td, table.properties th { border-bottom: 1px solid #eaecf0; padding: 4px 12px 4px 0; }
        </style>
        </head>
        <body>
        <header><h1>PeopleAdmin HTTP API reference</h1><p>Read from <a style="color:#9ec5fe" href="/openapi/v1.json">/openapi/v1.json</a>.</p></header>
        <main id="reference"><p>Loading the OpenAPI document…</p></main>
        <script>
        (async () => {
          const main = document.getElementById('reference');
          const doc = await (await fetch('/openapi/v1.json')).json();
          const el = (tag, text, cls) => { const e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; };
          const resolve = s => s && s.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s;
          const typeOf = s => { s = resolve(s) || {}; const t = [].concat(s.type || (s.$ref ? 'object' : 'any')).filter(x => x !== 'null').join(' | ');
            return t === 'array' && s.items ? typeOf(s.items) + '[]' : (s.enum ? s.enum.join(' | ') : t) + ([].concat(s.type).includes('null') ? ' | null' : ''); };
          // A body as a table of its properties, nested objects and array items flattened into dotted names.
          const properties = schema => {
            const t = el('table', null, 'properties'); const head = el('tr');
            head.append(el('th', 'property'), el('th', 'type'), el('th', 'required'), el('th', 'description')); t.append(head);
            const walk = (s, prefix, depth) => {
              s = resolve(s) || {};
              if (s.type === 'array' || (Array.isArray(s.type) && s.type.includes('array') && s.items)) { walk(s.items, prefix + '[]', depth); return; }
              for (const [name, p] of Object.entries(s.properties || {})) {
                const r = el('tr'); const full = prefix ? prefix + '.' + name : name; const rp = resolve(p) || {};
                r.append(el('td', full), el('td', typeOf(p)), el('td', (s.required || []).includes(name) ? 'yes' : 'no'), el('td', rp.description || p.description || ''));
                t.append(r);
                if (depth < 3) walk(p, full, depth + 1);
              }
              if (s.additionalProperties && typeof s.additionalProperties === 'object') {
                const r = el('tr'); r.append(el('td', (prefix ? prefix + '.' : '') + '<any other name>'), el('td', typeOf(s.additionalProperties)), el('td', 'no'), el('td', s.additionalProperties.description || ''));
                t.append(r);
              }
            };
            const root = resolve(schema) || {};
            walk(schema, '', 0);
            const wrap = el('div'); if (root.description) wrap.append(el('p', root.description)); wrap.append(t); return wrap;
          };
          main.textContent = '';
          main.append(el('p', doc.info.description || ''));
          const schemes = el('table');
          for (const [name, s] of Object.entries((doc.components || {}).securitySchemes || {})) {
            const row = el('tr'); row.append(el('th', name), el('td', s.scheme), el('td', s.description || '')); schemes.append(row);
          }
          main.append(el('h2', 'Authentication'), schemes);
          const groups = {};
          for (const [path, item] of Object.entries(doc.paths)) {
            for (const [method, op] of Object.entries(item)) {
              if (!op || typeof op !== 'object' || !op.responses) continue;
              const tag = (op.tags && op.tags[0]) || 'Other';
              (groups[tag] ||= []).push({ path, method: method.toUpperCase(), op });
            }
          }
          for (const [tag, ops] of Object.entries(groups)) {
            main.append(el('h2', tag));
            for (const { path, method, op } of ops) {
              const d = el('details'); const s = el('summary');
              s.append(el('span', method, 'method ' + method), document.createTextNode(path));
              d.append(s);
              const body = el('div', null, 'body');
              if (op.parameters && op.parameters.length) {
                const t = el('table'); t.append(el('tr')); t.firstChild.append(el('th', 'parameter'), el('th', 'in'), el('th', 'required'));
                for (const p of op.parameters) { const r = el('tr'); r.append(el('td', p.name), el('td', p.in), el('td', p.required ? 'yes' : 'no')); t.append(r); }
                body.append(t);
              }
              const request = op.requestBody && op.requestBody.content && Object.values(op.requestBody.content)[0];
              if (request) { body.append(el('h4', 'Request body'), properties(request.schema)); }
              for (const [status, response] of Object.entries(op.responses)) {
                body.append(el('h4', status + ' ' + (response.description || '')));
                const content = response.content && Object.values(response.content)[0];
                const answer = content && resolve(content.schema);
                if (answer) body.append(answer.properties ? properties(content.schema)
                  : answer.type === 'object' && !answer.additionalProperties ? el('p', 'An empty JSON object: {}')
                  : el('pre', JSON.stringify(answer, null, 2)));
              }
              d.append(body); main.append(d);
            }
          }
        })().catch(e => { document.getElementById('reference').textContent = 'Could not read the OpenAPI document: ' + e; });
        </script>
        </body>
        </html>
        """;
}
