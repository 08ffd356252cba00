using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PeopleAdmin.Web.Infrastructure;

namespace PeopleAdmin.Web.Features.Forms;

/// <summary><c>PeopleAdmin:Forms</c>: the limits of the hosted form action, a public source with buckets of its own.</summary>
internal sealed class FormsOptions
{
    public const string Section = "PeopleAdmin:Forms";

    /// <summary>Hosted submissions one client address may make per minute (a person fills a form a few times at most).</summary>
    public int SubmissionsPerMinutePerAddress { get; set; } = 10;

    /// <summary>Hosted submissions per minute per workspace, from all addresses together.</summary>
    public int SubmissionsPerMinutePerWorkspace { get; set; } = 3000;
}

/// <summary>
/// The per-address limit of the hosted action, through ASP.NET Core's rate limiting middleware: a token bucket per
/// client address (the forwarded one behind a trusted proxy). Over it, the visitor gets a page that says to wait.
/// </summary>
internal sealed class HostedFormRateLimitPolicy(IOptions<FormsOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "hosted-forms";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, cancellationToken) =>
    {
        var wait = PublicRateLimits.RetryAfter(context.Lease);
        context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await HostedFormPages.TooManyFromAddress.ExecuteAsync(context.HttpContext);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        PublicRateLimits.PerAddress(httpContext, options.Value.SubmissionsPerMinutePerAddress);
}

/// <summary>The per-workspace bucket of hosted submissions: a flood from many addresses cannot fill one workspace.</summary>
internal sealed class WorkspaceSubmissionLimiter(IOptions<FormsOptions> options)
    : WorkspaceBuckets(options.Value.SubmissionsPerMinutePerWorkspace, TimeSpan.FromMinutes(1));

internal static class FormsServiceExtensions
{
    public static WebApplicationBuilder AddForms(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<FormsOptions>().BindConfiguration(FormsOptions.Section)
            .Validate(o => o.SubmissionsPerMinutePerAddress > 0, "PeopleAdmin__Forms__SubmissionsPerMinutePerAddress must be a positive number.")
            .Validate(o => o.SubmissionsPerMinutePerWorkspace > 0, "PeopleAdmin__Forms__SubmissionsPerMinutePerWorkspace must be a positive number.")
            .ValidateOnStart();
        builder.Services.AddSingleton<WorkspaceSubmissionLimiter>();
        builder.Services.AddRateLimiter(options => options.AddPolicy<string, HostedFormRateLimitPolicy>(HostedFormRateLimitPolicy.Name));
        return builder;
    }
}
