using PeopleAdmin.Core.LeadAds;

namespace PeopleAdmin.Web.Features.LeadAds;

/// <summary><c>PeopleAdmin:FacebookLeadAds</c>: where leads are read, and how patiently.</summary>
internal sealed class LeadAdsOptions
{
    public const string Section = "PeopleAdmin:FacebookLeadAds";

    /// <summary>The Graph API's origin; tests point it at a local stand-in.</summary>
    public string GraphBaseUrl { get; set; } = "https://graph.facebook.com";

    /// <summary>Attempts to read a lead before it is marked failed (an operator may still retry it).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed attempt; each later one doubles it.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the background reader looks for leads due again (a new notification wakes it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Off in tests that drive <see cref="LeadProcessor"/> themselves.</summary>
    public bool FetchInBackground { get; set; } = true;
}

internal static class LeadAdsServiceExtensions
{
    public static WebApplicationBuilder AddLeadAds(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LeadAdsOptions>().BindConfiguration(LeadAdsOptions.Section)
            .Validate(o => Uri.TryCreate(o.GraphBaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp),
                "PeopleAdmin__FacebookLeadAds__GraphBaseUrl must be an absolute http or https URL such as https://graph.facebook.com.")
            .Validate(o => o.MaxAttempts > 0, "PeopleAdmin__FacebookLeadAds__MaxAttempts must be a positive number.")
            .Validate(o => o.RetryDelay >= TimeSpan.Zero && o.PollInterval > TimeSpan.Zero, "PeopleAdmin__FacebookLeadAds__RetryDelay may not be negative and PollInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<LeadAdsService>();
        builder.Services.AddHttpClient(GraphLeadClient.ClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton<GraphLeadClient>();
        builder.Services.AddSingleton<LeadProcessor>();
        builder.Services.AddHostedService<LeadFetcher>();
        builder.Services.AddScoped<LeadAdsConsole>();
        return builder;
    }
}
