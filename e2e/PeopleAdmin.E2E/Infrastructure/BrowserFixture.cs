using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(PeopleAdmin.E2E.Infrastructure.BrowserFixture))]

namespace PeopleAdmin.E2E.Infrastructure;

/// <summary>One Chromium for the whole assembly, launched as <c>playwright.config.json</c> says.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public E2EConfig Config { get; } = E2EConfig.Load();

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Config.ExecutablePath,
            Headless = Config.Headless,
            Args = Config.Args,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
