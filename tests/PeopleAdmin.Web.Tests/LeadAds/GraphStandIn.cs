using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PeopleAdmin.Web.Tests.LeadAds;

/// <summary>
/// A local stand-in for the Graph API on 127.0.0.1 that speaks Meta's documented lead format:
/// <c>GET /{version}/{leadgen_id}?access_token=…</c> answers the lead, or the next scripted error for it.
/// </summary>
public sealed class GraphStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _leads = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string Body)>> _failures = new();

    private GraphStandIn(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Every request as <c>/{version}/{leadgen_id}?access_token=…</c>.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first read has been answered.</summary>
    public Task FirstRequest => _firstRequest.Task;

    public static async Task<GraphStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new GraphStandIn(app);
        app.MapGet("/{version}/{leadgenId}", (string version, string leadgenId, HttpContext http) => standIn.Answer(leadgenId, http));
        await app.StartAsync();
        standIn.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return standIn;
    }

    /// <summary>The lead Meta would answer: <c>field_data</c> of name and values.</summary>
    public void AddLead(string leadgenId, string formId, string adId, params (string Name, string Value)[] fields)
    {
        var data = string.Join(",", fields.Select(f => $$"""{"name":"{{f.Name}}","values":["{{f.Value}}"]}"""));
        _leads[leadgenId] = $$"""{"created_time":"2026-12-06T10:00:00+0000","id":"{{leadgenId}}","ad_id":"{{adId}}","form_id":"{{formId}}","field_data":[{{data}}]}""";
    }

    /// <summary>The next read of the lead answers this instead.</summary>
    public void FailNext(string leadgenId, int status, string body) =>
        _failures.GetOrAdd(leadgenId, _ => new ConcurrentQueue<(int, string)>()).Enqueue((status, body));

    public const string ExpiredTokenError =
        """{"error":{"message":"Error validating access token: Session has expired on Sunday, 06-Dec-26 09:00:00 PST.","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"AbCdEfGh123"}}""";

    public const string ServiceError =
        """{"error":{"message":"An unexpected error has occurred. Please retry your request later.","type":"OAuthException","code":2,"fbtrace_id":"AbCdEfGh456"}}""";

    private IResult Answer(string leadgenId, HttpContext http)
    {
        Requests.Enqueue(http.Request.Path + http.Request.QueryString);
        http.Response.OnCompleted(() =>
        {
            _firstRequest.TrySetResult();
            return Task.CompletedTask;
        });
        if (_failures.TryGetValue(leadgenId, out var failures) && failures.TryDequeue(out var failure))
        {
            return Results.Content(failure.Body, "application/json", statusCode: failure.Status);
        }

        return _leads.TryGetValue(leadgenId, out var lead)
            ? Results.Content(lead, "application/json")
            : Results.Content("""{"error":{"message":"Unsupported get request.","type":"GraphMethodException","code":100,"error_subcode":33}}""", "application/json", statusCode: 400);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
