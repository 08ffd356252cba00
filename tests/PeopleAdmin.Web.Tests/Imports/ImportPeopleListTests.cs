using System.Text;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.Imports;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Imports;

/// <summary>The people an import created or updated, as its page lists them: linked, filtered, paged, explained when none.</summary>
public sealed class ImportPeopleListTests : ConsoleTestContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task<(Import Import, ImportOptions Options)> ImportAsync(string csv, string optionsJson)
    {
        ImportOptionsJson.TryRead(optionsJson, "", out var options).ShouldBeNull();
        var imports = Services.GetRequiredService<ImportService>();
        var created = await imports.CreateAsync(WorkspaceId, new MemoryStream(Encoding.UTF8.GetBytes(csv)), new ImportRequest("people.csv", options, "editor@example.test"), Ct);
        created.Problem.ShouldBeNull();
        await imports.RunAsync(created.Import!.Id, Ct);
        return ((await imports.GetAsync(WorkspaceId, created.Import.Id, Ct))!, options);
    }

    private IRenderedComponent<ImportPeopleList> RenderList((Import Import, ImportOptions Options) import, string? query = null)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(ImportPage.Href(import.Import.Id) + query);
        SignIn("viewer@example.test");
        return Render<ImportPeopleList>(p => p.Add(c => c.Import, import.Import).Add(c => c.Options, import.Options));
    }

    private static List<string> Rows(IRenderedComponent<ImportPeopleList> list) =>
        [.. list.FindAll("tbody tr").Select(r => string.Join(" | ", r.QuerySelectorAll("td").Select(c => c.TextContent.Trim())))];

    [Fact]
    public async Task EachPersonIsListedWithTheirIdentifiersOutcomeAndFirstRowAndLinksToTheirProfile()
    {
        var old = await IdentifyAsync("old@example.com");
        var import = await ImportAsync("email,plan\nold@example.com,pro\nnew@example.com,free\nold@example.com,team\n", """{"identifier": "email"}""");
        var added = (await Services.GetRequiredService<PeopleService>().FindPeopleByEmailAsync(WorkspaceId, "new@example.com", Ct)).Single();

        var list = RenderList(import);

        list.WaitForAssertion(() => Rows(list).ShouldBe([$"cio_{old} | — | old@example.com | updated | 2", $"cio_{added.CioId} | — | new@example.com | created | 3"]));
        list.FindAll("tbody a").Select(a => a.GetAttribute("href")).ShouldBe([$"/people/{old}", $"/people/{added.CioId}"]);
    }

    [Fact]
    public async Task TheCreatedFilterInTheQueryStringListsOnlyThePeopleTheImportCreated()
    {
        await IdentifyAsync("old@example.com");
        var import = await ImportAsync("email\nold@example.com\nnew@example.com\n", """{"identifier": "email"}""");

        var list = RenderList(import, "?people=created");

        list.WaitForAssertion(() => Rows(list).Single().ShouldContain("new@example.com | created | 3"));
        list.Find("button[aria-pressed='true']").TextContent.Trim().ShouldBe("Created");
    }

    [Fact]
    public async Task AListLongerThanAPageIsPagedOnTheServer()
    {
        var csv = "id\n" + string.Join('\n', Enumerable.Range(1, ImportsConsole.PageSize + 2).Select(i => $"p{i:00}"));
        var import = await ImportAsync(csv, """{"identifier": "id"}""");

        var list = RenderList(import, "?people_page=2");

        list.WaitForAssertion(() => Rows(list).Count.ShouldBe(2));
        list.Find("[data-testid='import-people-range']").TextContent.ShouldBe($"26–27 of 27");
        Rows(list)[0].ShouldContain("| p26 |");
    }

    [Fact]
    public async Task APersonDeletedSinceIsListedByCioIdWithoutALink()
    {
        var import = await ImportAsync("id\ngone\n", """{"identifier": "id"}""");
        var people = Services.GetRequiredService<PeopleService>();
        await people.ExecuteAsync(new OperationContext(WorkspaceId, Sources.Api), new DeletePersonOperation(PersonReference.ForId("gone")), Ct);

        var list = RenderList(import);

        list.WaitForAssertion(() => Rows(list).Single().ShouldContain("deleted since"));
        list.FindAll("tbody a").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"identifier": "id", "dry_run": true}""", "id\nann\n", "A dry run writes nobody")]
    [InlineData("""{"identifier": "id", "type": "event"}""", "id,name\nann,signed_up\n", "An event import adds events to people who exist already")]
    [InlineData("""{"identifier": "id", "data_to_process": "only_existing"}""", "id\nann\n", "This import created and updated nobody")]
    public async Task AnEmptyListSaysWhyNobodyIsListed(string optionsJson, string csv, string why)
    {
        var import = await ImportAsync(csv, optionsJson);

        var list = RenderList(import);

        list.WaitForAssertion(() => list.Find("[data-testid='import-people-empty']").TextContent.ShouldContain(why));
        list.FindAll("tbody tr").ShouldBeEmpty();
    }
}
