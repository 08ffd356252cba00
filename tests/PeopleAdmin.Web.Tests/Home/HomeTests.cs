using Bunit;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Home;

public sealed class HomeTests : ConsoleTestContext
{
    [Fact]
    public async Task HomeCountsThePeopleAndListsTheNewestActivityWithLinksToThePeople()
    {
        SignIn("viewer@example.test");
        await IdentifyAsync("ann@example.test");
        var bob = await IdentifyAsync("bob", ("plan", "pro"));

        var home = Render<PeopleAdmin.Web.Features.Home.Home>();

        home.WaitForAssertion(() => home.Find("[data-testid='home-people-count']").TextContent.ShouldBe("2"));
        var rows = home.FindAll("[data-testid='home-activity'] tr");
        rows.Select(r => r.TextContent).ShouldContain(text => text.Contains("Profile created", StringComparison.Ordinal));
        rows[0].QuerySelector("a")!.GetAttribute("href").ShouldBe($"/people/{bob}");
        home.FindAll("a").Select(a => a.GetAttribute("href")).ShouldContain("/settings/api");
    }

    [Fact]
    public void AnEmptyWorkspaceSaysHowPeopleArrive()
    {
        SignIn("viewer@example.test");

        var home = Render<PeopleAdmin.Web.Features.Home.Home>();

        home.WaitForAssertion(() => home.Find("[data-testid='home-activity-empty']").TextContent.ShouldContain("Send a first identify call"));
        home.Find("[data-testid='home-people-count']").TextContent.ShouldBe("0");
    }
}
