using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PeopleAdmin.E2E.Infrastructure;

/// <summary>
/// Somebody's website on another origin: a second small Kestrel server on a free loopback port that serves fixed HTML
/// pages (a page with a pasted form, a success page). It is reached as <c>localhost</c>, the app as <c>127.0.0.1</c>,
/// so that the two are different origins for the browser.
/// </summary>
public sealed class OtherSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtherSite(WebApplication app, Uri origin)
    {
        _app = app;
        Origin = origin;
    }

    /// <summary>The site's origin, such as <c>http://localhost:41234</c> (no trailing slash in <see cref="OriginText"/>).</summary>
    public Uri Origin { get; }

    public string OriginText => Origin.GetLeftPart(UriPartial.Authority);

    public static async Task<OtherSite> StartAsync(IReadOnlyDictionary<string, string> pages)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        foreach (var (path, html) in pages)
        {
            app.MapGet(path, () => Results.Content(html, "text/html; charset=utf-8"));
        }

        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        return new OtherSite(app, new Uri($"http://localhost:{port}/"));
    }

    public Uri Url(string path) => new(Origin, path.TrimStart('/'));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
