using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Web.Features.People;
using PeopleAdmin.Web.Tests.Infrastructure;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Web.Tests.People;

/// <summary>The People page with a filter in its URL: who matches, the count beside them, extra columns, bad links.</summary>
[BothStores]
public sealed class FilteredPeopleTests : ConsoleTestContext
{
    [Fact]
    public async Task AFilterInTheUrlListsWhoMatchesOldestFirstWithTheCountAndTheChosenColumns()
    {
        // Arrange
        SignIn("viewer@example.test");
        await IdentifyAsync("a@example.test", ("plan", "pro"), ("city", "Lyon"));
        await IdentifyAsync("b@example.test", ("plan", "free"), ("city", "Lyon"));
        await IdentifyAsync("c@example.test", ("plan", "pro"), ("city", "Paris"));
        var filter = Uri.EscapeDataString("""{"attribute":{"field":"plan","operator":"eq","value":"pro"}}""");
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/people?filter={filter}&columns=city");

        // Act
        var page = Render<PeopleListPage>();

        // Assert
        page.WaitForAssertion(() => page.Find("[data-testid=filter-count]").TextContent.ShouldBe("2 people match this filter"));
        page.FindAll("tbody tr").Select(r => r.QuerySelector("td")!.TextContent.Trim()).ShouldBe(["a@example.test", "c@example.test"]);
        page.FindAll("th").Select(h => h.TextContent.Trim()).ShouldContain("city");
        page.Markup.ShouldContain("Paris");
        page.FindAll("[data-testid=filter-condition]").Count.ShouldBe(1);
    }

    [Fact]
    public async Task AFilterThatCannotBeReadSaysWhyAndShowsEveryone()
    {
        // Arrange
        SignIn("viewer@example.test");
        await IdentifyAsync("a@example.test");
        Services.GetRequiredService<NavigationManager>().NavigateTo("/people?filter=" + Uri.EscapeDataString("""{"attribute":{"field":"plan","operator":"like"}}"""));

        // Act
        var page = Render<PeopleListPage>();

        // Assert
        page.WaitForAssertion(() => page.Find("[data-testid=filter-error]").TextContent.ShouldContain("filter.attribute.operator"));
        page.FindAll("tbody tr").Count.ShouldBe(1);
        page.FindAll("[data-testid=filter-count]").ShouldBeEmpty();
    }
}
