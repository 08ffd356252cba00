using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Data;

/// <summary>
/// One index of <c>People</c> holds the email: unique on (workspace, email, <see cref="Person.EmailIsIdentifier"/>), so that
/// the database keeps one person per email exactly where email is an identifier, while every lookup and search by email
/// reads the same index. A new person costs one email index entry, not two (#21: the 1,000,000-person seed-demo).
/// </summary>
[BothStores]
public sealed class EmailIndexTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OneUniqueIndexOfPeopleHoldsTheEmail()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await using var db = await harness.ContextAsync(Ct);

        var indexes = db.Model.FindEntityType(typeof(Person))!.GetIndexes()
            .Where(i => i.Properties.Any(p => p.Name is nameof(Person.EmailNormalized) or nameof(Person.EmailIsIdentifier)))
            .ToList();

        indexes.Select(i => string.Join(", ", i.Properties.Select(p => p.Name)))
            .ShouldBe([$"{nameof(Person.WorkspaceId)}, {nameof(Person.EmailNormalized)}, {nameof(Person.EmailIsIdentifier)}"]);
        indexes.Single().IsUnique.ShouldBeTrue();
    }

    [Fact]
    public async Task TheDatabaseRefusesASecondPersonWithAnEmailThatIsAnIdentifier()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await AddAsync(harness, "c1", "ann@example.com", true);

        var second = await Should.ThrowAsync<DbUpdateException>(() => AddAsync(harness, "c2", "ann@example.com", true));

        second.InnerException!.Message.ShouldContain("EmailNormalized", Case.Insensitive);
        (await harness.PeopleAsync(Ct)).Select(p => p.CioId).ShouldBe(["c1"]);
    }

    [Fact]
    public async Task PeopleShareAnEmailThatIsNotAnIdentifierAndAnotherWorkspaceHoldsItToo()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await AddAsync(harness, "c1", "ann@example.com", null);
        await AddAsync(harness, "c2", "ann@example.com", null);
        await AddAsync(harness, "c3", "ann@example.com", true);
        var otherWorkspace = await harness.Database.AddWorkspaceAsync(Ct);
        await AddAsync(harness, "c4", "ann@example.com", true, otherWorkspace);

        (await harness.PeopleAsync(Ct)).Select(p => p.CioId).Order().ShouldBe(["c1", "c2", "c3"]);
    }

    [Fact]
    public async Task IdentifyFindsAPersonByEmailOnlyWhileEmailIsAnIdentifier()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct, s => s.Identifiers = IdentifierMode.IdOnly);
        harness.Mode = IdentifierMode.IdOnly;
        await harness.IdentifyAsync("ann", """{"email":"Ann@Example.com"}""", Ct);
        await harness.IdentifyAsync("bob", """{"email":"ann@example.com"}""", Ct);
        (await harness.PeopleAsync(Ct)).ShouldAllBe(p => p.EmailIsIdentifier == null && p.EmailNormalized == "ann@example.com");

        await harness.RunAsync(new ChangeSettingsOperation(new SettingsPatch { Identifiers = IdentifierMode.EmailOrId }), Ct);

        // Two people hold the email, so the switch is refused and nothing changes.
        (await harness.PeopleAsync(Ct)).ShouldAllBe(p => p.EmailIsIdentifier == null);
        await harness.RunAsync(new DeletePersonOperation(PersonReference.ForId("bob")), Ct);
        await harness.RunAsync(new ChangeSettingsOperation(new SettingsPatch { Identifiers = IdentifierMode.EmailOrId }), Ct);
        harness.Mode = IdentifierMode.EmailOrId;
        var byEmail = await harness.IdentifyAsync("ANN@example.com", """{"plan":"pro"}""", Ct);

        byEmail.Created.ShouldBeFalse();
        (await harness.PeopleAsync(Ct)).Single().ShouldSatisfyAllConditions(
            p => p.ExternalId.ShouldBe("ann"), p => p.EmailIsIdentifier.ShouldBe(true), p => p.IdentifyingEmail.ShouldBe("ann@example.com"));
    }

    private static async Task AddAsync(PeopleHarness harness, string cioId, string email, bool? isIdentifier, int? workspaceId = null)
    {
        await using var db = await harness.ContextAsync(Ct);
        db.People.Add(new Person
        {
            WorkspaceId = workspaceId ?? harness.WorkspaceId, CioId = cioId, Email = email, EmailNormalized = email, EmailIsIdentifier = isIdentifier,
        });
        await db.SaveChangesAsync(Ct);
    }
}
