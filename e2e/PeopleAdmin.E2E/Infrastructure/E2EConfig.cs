using System.Text.Json;
using System.Text.Json.Serialization;

namespace PeopleAdmin.E2E.Infrastructure;

/// <summary>
/// <c>playwright.config.json</c> at the repository root: Playwright for .NET reads no such file, so this does.
/// Environment variables override it: <c>E2E_BROWSER_PATH</c>, <c>E2E_HEADLESS</c>, <c>E2E_BASE_URL</c>.
/// </summary>
public sealed class E2EConfig
{
    public string Browser { get; init; } = "chromium";

    public string? ExecutablePath { get; set; }

    public bool Headless { get; set; } = true;

    public List<string> Args { get; init; } = [];

    /// <summary>When set, tests run against this server instead of starting the app in process.</summary>
    public string? BaseUrl { get; set; }

    public string ArtifactsDir { get; init; } = "artifacts/e2e";

    public int TimeoutMs { get; init; } = 15_000;

    public ViewportSize Viewport { get; init; } = new();

    public List<string> ConsoleErrorAllowList { get; init; } = [];

    [JsonIgnore]
    public string RepositoryRoot { get; private set; } = "";

    public sealed class ViewportSize
    {
        public int Width { get; init; } = 1366;

        public int Height { get; init; } = 860;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static E2EConfig Load()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "playwright.config.json")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException($"playwright.config.json was not found above {AppContext.BaseDirectory}.");
        }

        var json = File.ReadAllText(Path.Combine(directory.FullName, "playwright.config.json"));
        var config = JsonSerializer.Deserialize<E2EConfig>(json, JsonOptions) ?? throw new InvalidOperationException("playwright.config.json is empty.");
        config.RepositoryRoot = directory.FullName;
        config.ExecutablePath = Environment.GetEnvironmentVariable("E2E_BROWSER_PATH") is { Length: > 0 } path ? path : config.ExecutablePath;
        config.BaseUrl = Environment.GetEnvironmentVariable("E2E_BASE_URL") is { Length: > 0 } url ? url : config.BaseUrl;
        if (bool.TryParse(Environment.GetEnvironmentVariable("E2E_HEADLESS"), out var headless))
        {
            config.Headless = headless;
        }

        return config;
    }
}
