using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PeopleAdmin.E2E.Infrastructure;

/// <summary>
/// Base of every e2e test: a fresh app (unless the config names a base URL), a fresh browser context with
/// tracing, and a page whose console errors fail the test unless the config's allow-list names them.
/// A failing test leaves a screenshot and a Playwright trace in the artifacts folder.
/// </summary>
public abstract class BrowserTest(BrowserFixture browser) : IAsyncLifetime
{
    private readonly List<string> _consoleErrors = [];

    protected E2EConfig Config => browser.Config;

    protected AppServer? App { get; private set; }

    protected Uri BaseAddress { get; private set; } = null!;

    protected IBrowserContext Context { get; private set; } = null!;

    protected IPage Page { get; private set; } = null!;

    /// <summary>The owner account that the default <see cref="AppSettings"/> create headless.</summary>
    protected const string OwnerEmail = "owner@example.test";

    protected const string OwnerPassword = "correct horse battery";

    /// <summary>Configuration for this test's app, applied before it starts: by default, an owner to sign in as.</summary>
    protected virtual IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>
    {
        ["PeopleAdmin:Admin:Email"] = OwnerEmail,
        ["PeopleAdmin:Admin:Password"] = OwnerPassword,
    };

    /// <summary>Console errors this test expects, on top of the config's allow-list.</summary>
    protected List<string> AllowedConsoleErrors { get; } = [];

    public virtual async ValueTask InitializeAsync()
    {
        if (Config.BaseUrl is { Length: > 0 } baseUrl)
        {
            BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/");
        }
        else
        {
            App = AppServer.Start(AppSettings);
            BaseAddress = App.BaseAddress;
        }

        Context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = Config.Viewport.Width, Height = Config.Viewport.Height },
        });
        Context.SetDefaultTimeout(Config.TimeoutMs);
        Assertions.SetDefaultExpectTimeout(Config.TimeoutMs);
        await Context.Tracing.StartAsync(new TracingStartOptions { Screenshots = true, Snapshots = true });
        Page = await Context.NewPageAsync();
        Page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_consoleErrors)
                {
                    _consoleErrors.Add(message.Text);
                }
            }
        };
        Page.PageError += (_, error) =>
        {
            lock (_consoleErrors)
            {
                _consoleErrors.Add(error);
            }
        };
    }

    public virtual async ValueTask DisposeAsync()
    {
        var failed = TestContext.Current.TestState?.Result == TestResult.Failed;
        var unexpected = UnexpectedConsoleErrors();
        if (failed || unexpected.Count > 0)
        {
            var directory = Path.Combine(Config.RepositoryRoot, Config.ArtifactsDir);
            Directory.CreateDirectory(directory);
            var name = SafeName(TestContext.Current.Test?.TestDisplayName ?? GetType().Name);
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
            await Context.Tracing.StopAsync(new TracingStopOptions { Path = Path.Combine(directory, name + ".trace.zip") });
        }
        else
        {
            await Context.Tracing.StopAsync();
        }

        await Context.DisposeAsync();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        GC.SuppressFinalize(this);
        if (unexpected.Count > 0)
        {
            throw new InvalidOperationException("The browser console showed errors:\n" + string.Join("\n", unexpected));
        }
    }

    /// <summary>Waits until the page's Blazor circuit is up, so that clicks reach the server.</summary>
    protected async Task WaitForInteractiveAsync()
    {
        await Page.Locator("[data-interactive='true']").WaitForAsync();
    }

    /// <summary>Signs in through the sign-in page and waits for the home page's circuit.</summary>
    protected async Task SignInAsync(string email = OwnerEmail, string password = OwnerPassword)
    {
        await Page.GotoAsync("Account/Login");
        await Page.GetByLabel("Email").FillAsync(email);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(BaseAddress.ToString());
        await WaitForInteractiveAsync();
    }

    /// <summary>
    /// Keeps a screenshot of the whole page in the artifacts folder, for people to look at. The page is scrolled to its
    /// top first: a full-page screenshot of a scrolled page draws the fixed app bar and menu where the scroll left them.
    /// </summary>
    protected async Task KeepScreenshotAsync(string name)
    {
        var directory = Path.Combine(Config.RepositoryRoot, Config.ArtifactsDir, "screens");
        Directory.CreateDirectory(directory);
        try
        {
            await Page.EvaluateAsync("() => window.scrollTo(0, 0)");
        }
        catch (PlaywrightException exception) when (exception.Message.Contains("Execution context was destroyed", StringComparison.Ordinal))
        {
            // A navigation under way (to a static account page): the new document opens at its top anyway.
        }

        // Animations disabled: finite CSS transitions (a tab's slider, a dialog fading in) jump to their end, so the
        // picture shows the screen as it settles rather than a frame of the animation.
        await Page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(directory, SafeName(name) + ".png"),
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled,
        });
    }

    private List<string> UnexpectedConsoleErrors()
    {
        var allowed = Config.ConsoleErrorAllowList.Concat(AllowedConsoleErrors).Select(p => new Regex(p)).ToList();
        lock (_consoleErrors)
        {
            return _consoleErrors.Where(error => !allowed.Any(pattern => pattern.IsMatch(error))).ToList();
        }
    }

    private static string SafeName(string name) =>
        Regex.Replace(name, "[^A-Za-z0-9_.-]+", "_").Trim('_') is { Length: > 0 } safe ? safe[..Math.Min(safe.Length, 120)] : "test";
}
