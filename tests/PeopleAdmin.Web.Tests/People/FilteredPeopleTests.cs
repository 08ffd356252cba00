using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
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
    public async Task AnObjectConditionInTheUrlListsThePeopleRelatedToAMatchingObjectAndShowsItsRowInTheBuilder()
    {
        // Arrange
        SignIn("viewer@example.test");
        await IdentifyAsync("a@example.test");
        await IdentifyAsync("b@example.test");
        await IdentifyAsync("c@example.test");
        var people = Services.GetRequiredService<PeopleService>();
        var context = new OperationContext(WorkspaceId, Sources.Api);
        var ct = Xunit.TestContext.Current.CancellationToken;
        await people.ExecuteAsync(context, new CreateObjectTypeOperation("Accounts"), ct);
        Dictionary<string, AttributeValue> none = [];
        await people.ExecuteAsync(context, new IdentifyObjectOperation(ObjectReference.For("1", "acme"), new Dictionary<string, AttributeValue> { ["plan"] = AttributeValue.FromString("pro") },
            [new(PersonReference.ForEmail("a@example.test"), none), new(PersonReference.ForEmail("c@example.test"), none)]), ct);
        var filter = Uri.EscapeDataString("""{"object":{"object_type_id":"1","object_filter":{"attribute":{"field":"plan","operator":"eq","value":"pro"}}}}""");
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/people?filter={filter}");

        // Act
        var page = Render<PeopleListPage>();

        // Assert
        page.WaitForAssertion(() => page.Find("[data-testid=filter-count]").TextContent.ShouldBe("2 people match this filter"));
        page.FindAll("tbody tr").Select(r => r.QuerySelector("td")!.TextContent.Trim()).ShouldBe(["a@example.test", "c@example.test"]);
        page.Find("[data-testid=object-type]").InnerHtml.ShouldContain("Accounts");
        page.Find("[data-testid=object-condition]").InnerHtml.ShouldContain("plan");
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
