using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PeopleAdmin.Core.People;
using PeopleAdmin.E2E.Console;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Snippet;

/// <summary>
/// A website owner adds PeopleAdmin to a site by pasting the loader from "Settings > API credentials" into a page of
/// another origin (a second local server); the page's own code only calls <c>_cio</c>, as it would with Customer.io.
/// The page counts what the snippet reports through <c>_cio.on</c>, so that the tests wait for the requests, not the clock.
/// </summary>
public sealed class BrowserSnippetTests(BrowserFixture browser) : ConsoleTest(browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string ShopPage(string loader) => $$"""
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
        {{loader}}
        <script>
          var sent = 0;
          _cio.on('sent', function () { sent++; document.getElementById('sent').textContent = sent + ' sent'; });
          _cio.on('error', function (e) { document.getElementById('problem').textContent = e.message; });
        </script>
        </head><body><h1>Our shop</h1>
        <p data-testid="sent" id="sent">0 sent</p>
        <p data-testid="problem" id="problem"></p>
        <p data-testid="clicks" id="clicks">0 clicks</p>
        <button onclick="_cio.track('added_to_cart', {sku: 'A1'}); document.getElementById('clicks').textContent = '1 clicks';">Add to cart</button>
        <button onclick="_cio.identify({id: 'visitor-1', email: 'visitor@example.test', first_name: 'Vera'})">Sign in</button>
        <button onclick="_cio.track('purchased', {amount: 20})">Buy</button>
        <button onclick="_cio.reset()">Sign out</button>
        <button onclick="_cio.track('checkout_1'); _cio.track('checkout_2'); _cio.track('checkout_3'); location.href = '/thanks';">Check out</button>
        </body></html>
        """;

    /// <summary>The loader as the API credentials page shows it (Customer.io's, only its src changed).</summary>
    private string Loader => $$$"""
        <script type="text/javascript">var _cio = _cio || []; (function() { var a,b,c;a=function(f){return function(){_cio.push([f].concat(Array.prototype.slice.call(arguments,0)))}};b=["load","identify","sidentify","track","page","on","off"];for(c=0;c<b.length;c++){_cio[b[c]]=a(b[c])}; var t = document.createElement('script'), s = document.getElementsByTagName('script')[0]; t.async = true; t.id = 'cio-tracker'; t.setAttribute('data-site-id', '{{{SiteId}}}'); t.src = '{{{BaseAddress}}}js/track.js'; s.parentNode.insertBefore(t, s); })();</script>
        """;

    private async Task AllowOriginsAsync(params string[] origins)
    {
        var workspaceId = await DefaultWorkspaceIdAsync();
        var result = await People.ExecuteAsync(new OperationContext(workspaceId, Sources.Ui, OwnerEmail),
            new ChangeSettingsOperation(new SettingsPatch { AllowedOrigins = origins }), Ct);
        result.Status.ShouldBe(OperationStatus.Applied);
        await Server.Services.GetRequiredService<PeopleAdmin.Core.Workspaces.WorkspaceDirectory>().InvalidateAsync(workspaceId, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task APastedLoaderTracksAnonymouslyThenIdentifiesAndThePersonsActivityShowsTheMergedEvents()
    {
        // Arrange: the owner copies the loader from the API credentials page.
        await SignInAsync();
        await OpenAsync("/settings/api");
        var loader = await Page.GetByTestId("snippet-example").InnerTextAsync();
        loader.ShouldContain($"t.src = '{BaseAddress}js/track.js'");
        loader.ShouldContain($"data-site-id', '{SiteId}'");
        await KeepScreenshotAsync("api-credentials-snippet");
        await using var shop = await OtherSite.StartAsync(new Dictionary<string, string> { ["/"] = ShopPage(loader) });

        // Act: a visitor browses anonymously, signs in, and buys.
        await Page.GotoAsync(shop.Url("/").ToString());
        await Expect(Page.GetByTestId("sent")).ToHaveTextAsync("1 sent");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
        await Expect(Page.GetByTestId("sent")).ToHaveTextAsync("2 sent");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page.GetByTestId("sent")).ToHaveTextAsync("3 sent");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Buy" }).ClickAsync();
        await Expect(Page.GetByTestId("sent")).ToHaveTextAsync("4 sent");

        // Assert
        await Expect(Page.GetByTestId("problem")).ToBeEmptyAsync();
        var person = await People.GetPersonAsync(await DefaultWorkspaceIdAsync(), PersonReference.ForId("visitor-1"), Ct);
        person.ShouldNotBeNull();
        person.Email.ShouldBe("visitor@example.test");
        await OpenAsync($"/people/{person.CioId}");
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Activity" }).ClickAsync();
        var timeline = Page.GetByTestId("activity-timeline");
        await Expect(timeline).ToContainTextAsync(shop.Url("/").ToString());
        await Expect(timeline).ToContainTextAsync("added_to_cart");
        await Expect(timeline).ToContainTextAsync("purchased");
        await Expect(timeline).ToContainTextAsync("from snippet");
        await KeepScreenshotAsync("person-snippet-activity");
    }

    [Fact]
    public async Task ResetStartsANewAnonymousVisitor()
    {
        // Arrange
        await using var shop = await OtherSite.StartAsync(new Dictionary<string, string> { ["/"] = ShopPage(Loader) });
        await Page.GotoAsync(shop.Url("/").ToString());
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page.GetByTestId("sent")).ToHaveTextAsync("2 sent");
        var before = await AnonymousIdAsync(shop);

        // Act
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
        await Expect(Page.GetByTestId("sent")).ToHaveTextAsync("3 sent");

        // Assert
        var after = await AnonymousIdAsync(shop);
        after.ShouldNotBe(before);
        (await Context.CookiesAsync([shop.OriginText])).ShouldNotContain(c => c.Name == "_cioid");
        var events = await People.GetActivityAsync(new ActivityQuery(await DefaultWorkspaceIdAsync(), null, [ActivityTypes.Event], 10, null), Ct);
        var added = events.Items.Single(i => i.Name == "added_to_cart");
        added.CioId.ShouldBeNull();
    }

    [Fact]
    public async Task APageOnAnOriginThatIsNotAllowedIsRefused()
    {
        // Arrange
        await AllowOriginsAsync("https://shop.example.com");
        await using var shop = await OtherSite.StartAsync(new Dictionary<string, string> { ["/"] = ShopPage(Loader) });

        // Act
        await Page.GotoAsync(shop.Url("/").ToString());
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // Assert
        await Expect(Page.GetByTestId("problem")).ToContainTextAsync($"The origin {shop.OriginText} is not among this workspace's allowed origins");
        await Expect(Page.GetByTestId("sent")).ToHaveTextAsync("0 sent");
        (await People.GetPersonAsync(await DefaultWorkspaceIdAsync(), PersonReference.ForId("visitor-1"), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task TheEndpointsDownLeaveTheHostPageWithoutErrors()
    {
        // Arrange: the script loads, but every request to its endpoints fails at the network.
        AllowedConsoleErrors.Add("net::ERR_FAILED");
        await Page.RouteAsync("**/api/v1/browser/**", route => route.AbortAsync());
        await using var shop = await OtherSite.StartAsync(new Dictionary<string, string> { ["/"] = ShopPage(Loader) });

        // Act
        await Page.GotoAsync(shop.Url("/").ToString());
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();

        // Assert: the page's own code went on after calling _cio, and nothing was thrown (the base fails on page errors).
        await Expect(Page.GetByTestId("clicks")).ToHaveTextAsync("1 clicks");
        await Expect(Page.GetByTestId("problem")).ToContainTextAsync("PeopleAdmin could not be reached");
        await Expect(Page.GetByTestId("sent")).ToHaveTextAsync("0 sent");
        (await Page.EvaluateAsync<bool>("() => typeof _cio.reset === 'function' && _cio._peopleadmin === true")).ShouldBeTrue();
    }

    [Fact]
    public async Task ABlockedCookieLeavesTheSnippetWorkingForThePageItIsOn()
    {
        // Arrange: document.cookie throws, as in a sandboxed frame.
        await Page.AddInitScriptAsync("""
            Object.defineProperty(document, 'cookie', {
              get() { throw new DOMException('cookies are blocked', 'SecurityError'); },
              set() { throw new DOMException('cookies are blocked', 'SecurityError'); },
            });
            """);
        await using var shop = await OtherSite.StartAsync(new Dictionary<string, string> { ["/"] = ShopPage(Loader) });

        // Act
        await Page.GotoAsync(shop.Url("/").ToString());
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Buy" }).ClickAsync();

        // Assert: the identified visitor is remembered in memory for this page.
        await Expect(Page.GetByTestId("sent")).ToHaveTextAsync("3 sent");
        await Expect(Page.GetByTestId("problem")).ToBeEmptyAsync();
        var person = await People.GetPersonAsync(await DefaultWorkspaceIdAsync(), PersonReference.ForId("visitor-1"), Ct);
        var events = await People.GetActivityAsync(new ActivityQuery(await DefaultWorkspaceIdAsync(), person!.CioId, [ActivityTypes.Event, ActivityTypes.Page], 10, null), Ct);
        events.Items.Select(i => i.Name).ShouldBe(["purchased", shop.Url("/").ToString()]);
    }

    [Fact]
    public async Task RequestsStillQueuedWhenTheVisitorLeavesGoOutAsBeacons()
    {
        // Arrange
        await using var shop = await OtherSite.StartAsync(new Dictionary<string, string>
        {
            ["/"] = ShopPage(Loader),
            ["/thanks"] = "<!DOCTYPE html><html lang=\"en\"><head><title>Thanks</title></head><body><h1>Thanks</h1></body></html>",
        });

        // Playwright reports no event for a beacon sent as its page goes away: the page notes each one in its own storage.
        await Page.AddInitScriptAsync("""
            (() => {
              const send = navigator.sendBeacon.bind(navigator);
              navigator.sendBeacon = (url, data) => {
                localStorage.setItem('beacons', (localStorage.getItem('beacons') || '') + url.split('?')[0] + ' ' + data.type + '\n');
                return send(url, data);
              };
            })()
            """);
        await Page.GotoAsync(shop.Url("/").ToString());
        await Expect(Page.GetByTestId("sent")).ToHaveTextAsync("1 sent");

        // The first event's request is held, so that the other two are still queued when the page goes away.
        await Page.RouteAsync("**/api/v1/browser/events*", route =>
            (route.Request.PostData ?? "").Contains("checkout_1", StringComparison.Ordinal) ? Task.CompletedTask : route.ContinueAsync());

        // Act: three events, then the page is left at once.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Check out" }).ClickAsync();

        // Assert: the first went out as a request of its own; the two still queued went as beacons.
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Thanks" })).ToBeVisibleAsync();
        var beacons = await Page.EvaluateAsync<string>("() => localStorage.getItem('beacons')");
        var events = $"{BaseAddress}api/v1/browser/events text/plain;charset=utf-8";
        beacons.ShouldBe($"{events}\n{events}\n");
    }

    private async Task<string> AnonymousIdAsync(OtherSite shop) =>
        (await Context.CookiesAsync([shop.OriginText])).Single(c => c.Name == "_cioanonid").Value;
}
