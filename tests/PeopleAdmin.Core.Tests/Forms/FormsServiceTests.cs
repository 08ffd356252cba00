using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Forms;

/// <summary>The Forms page's edits: checked whole before anything is saved, uniqueness by the database's index.</summary>
[BothStores]
public sealed class FormsServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(PeopleHarness Harness, FormsService Forms, long Id)> WithSeenFormAsync()
    {
        var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.RunAsync(new SubmitFormOperation("signup", [KeyValuePair.Create("email", "a@x.com"), KeyValuePair.Create("user", "u1")], Public: false), Ct, Sources.Form);
        var forms = new FormsService(harness.Database.Factory, harness.Service);
        return (harness, forms, (await forms.ListAsync(harness.WorkspaceId, Ct)).Single().Id);
    }

    [Fact]
    public async Task ASecondFormWithTheSameIdIsRefused()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var forms = new FormsService(harness.Database.Factory, harness.Service);
        await forms.CreateAsync(harness.Context(Sources.Ui), "Newsletter", null, Ct);

        var (id, error) = await forms.CreateAsync(harness.Context(Sources.Ui), "Newsletter again", "newsletter", Ct);

        id.ShouldBeNull();
        error!.Kind.ShouldBe(ErrorKind.Conflict);
        error.Message.ShouldBe("a form with the id \"newsletter\" already exists in this workspace");
    }

    [Fact]
    public async Task AMappingIsSavedWithTheRenamedAttribute()
    {
        var (harness, forms, id) = await WithSeenFormAsync();
        await using var _ = harness;

        var error = await forms.UpdateAsync(harness.Context(Sources.Ui), id, new FormChange("Sign-up", true, "https://shop.example.com/thanks",
            [new FormFieldMapping("user", FormFieldRole.Id, null), new FormFieldMapping("email", FormFieldRole.Attribute, "contact_email")]), Ct);

        error.ShouldBeNull();
        var form = await forms.GetAsync(harness.WorkspaceId, id, Ct);
        form!.Fields.Select(f => (f.Name, f.Role, f.AttributeName)).ShouldBe([("email", FormFieldRole.Attribute, "contact_email"), ("user", FormFieldRole.Id, null)]);
        (form.Name, form.SuccessUrl).ShouldBe(("Sign-up", "https://shop.example.com/thanks"));
    }

    [Fact]
    public async Task AnInvalidChangeIsRefusedWholeAndNothingIsSaved()
    {
        var (harness, forms, id) = await WithSeenFormAsync();
        await using var _ = harness;

        var badUrl = await forms.UpdateAsync(harness.Context(Sources.Ui), id, new FormChange("Renamed", false, "javascript:alert(1)", []), Ct);
        var twoIdentifiers = await forms.UpdateAsync(harness.Context(Sources.Ui), id, new FormChange("Renamed", false, null,
            [new FormFieldMapping("user", FormFieldRole.Id, null), new FormFieldMapping("email", FormFieldRole.Email, null)]), Ct);

        badUrl!.Field.ShouldBe("success_url");
        twoIdentifiers!.Message.ShouldBe("only one field can be the identifier; email and user both are");
        var form = await forms.GetAsync(harness.WorkspaceId, id, Ct);
        (form!.Name, form.Enabled).ShouldBe(("signup", true));
        form.Fields.ShouldAllBe(f => f.Role == FormFieldRole.Attribute);
    }

    [Fact]
    public async Task AFormCreatedOnTheFormsPageIsTheOneAFormsApiSubmissionOfItsIdCounts()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var forms = new FormsService(harness.Database.Factory, harness.Service);
        var (id, _) = await forms.CreateAsync(harness.Context(Sources.Ui), "Newsletter", null, Ct);

        // Act
        await harness.RunAsync(new SubmitFormOperation("newsletter", [KeyValuePair.Create("email", "a@x.com")], Public: false), Ct, Sources.Form);

        // Assert
        (await forms.ListAsync(harness.WorkspaceId, Ct)).Select(f => (f.Id, f.Name, f.Submissions)).ShouldBe([(id!.Value, "Newsletter", 1L)]);
    }

    [Fact]
    public async Task DeletingAFormKeepsThePeopleItAdded()
    {
        // Arrange
        var (harness, forms, id) = await WithSeenFormAsync();
        await using var _ = harness;

        // Act
        var error = await forms.DeleteAsync(harness.Context(Sources.Ui), id, Ct);
        var again = await forms.DeleteAsync(harness.Context(Sources.Ui), id, Ct);

        // Assert
        error.ShouldBeNull();
        again!.Kind.ShouldBe(ErrorKind.NotFound);
        (await forms.ListAsync(harness.WorkspaceId, Ct)).ShouldBeEmpty();
        (await harness.PeopleAsync(Ct)).Single().Email.ShouldBe("a@x.com");
    }
}
