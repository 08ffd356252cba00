using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Forms;

/// <summary>Form submissions through the identity service: the Forms API's and the hosted action's rows of the spec.</summary>
[BothStores]
public sealed class FormSubmissionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<KeyValuePair<string, string>> Fields(params string[] fields) =>
        [.. fields.Select(f => f.Split('=', 2)).Select(p => KeyValuePair.Create(p[0], p[1]))];

    private static Task<OperationResult> SubmitAsync(PeopleHarness harness, string formId, bool isPublic, params string[] fields) =>
        harness.RunAsync(new SubmitFormOperation(formId, Fields(fields), isPublic), Ct, Sources.Form);

    private static async Task<Form?> FormAsync(PeopleHarness harness, string formId)
    {
        await using var db = await harness.ContextAsync(Ct);
        return await db.Forms.AsNoTracking().Include(f => f.Fields).SingleOrDefaultAsync(f => f.FormId == formId, Ct);
    }

    [Fact]
    public async Task AFormsApiSubmissionOfAnUnknownFormRegistersItAndCreatesThePersonWithAFormSubmitEvent()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        // Act
        var result = await SubmitAsync(harness, "newsletter", isPublic: false, "email=ann@x.com", "first_name=Ann", "form_name=ignored");

        // Assert
        result.Status.ShouldBe(OperationStatus.Applied);
        result.Created.ShouldBeTrue();
        var form = await FormAsync(harness, "newsletter");
        form!.Name.ShouldBe("newsletter");
        form.Submissions.ShouldBe(1);
        form.LastSubmissionMs.ShouldNotBeNull();
        form.Fields.OrderBy(f => f.Id).Select(f => f.Name).ShouldBe(["email", "first_name"]);
        var person = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForEmail("ann@x.com"), Ct);
        person!.Attributes.Select(a => a.Name).ShouldBe(["first_name"]);
        var activity = await harness.ActivityAsync(Ct);
        activity.Select(a => (a.Type, a.Source)).ShouldBe([(ActivityTypes.ProfileCreate, Sources.Form), (ActivityTypes.AttributeChange, Sources.Form), (ActivityTypes.Event, Sources.Form)]);
        var submitted = activity[^1];
        submitted.Name.ShouldBe("form_submit");
        submitted.CioId.ShouldBe(result.CioId);
        JsonDocument.Parse(submitted.Data!).RootElement.GetRawText().ShouldBe("""{"form_id":"newsletter","form_name":"newsletter"}""");
    }

    [Fact]
    public async Task ASubmissionWithoutAnIdentifierIsIgnoredButStillRegistersTheFormSoThatItCanBeMapped()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        // Act
        var result = await SubmitAsync(harness, "contact", isPublic: false, "user=u1", "name=Ann");

        // Assert
        result.Status.ShouldBe(OperationStatus.Ignored);
        result.IgnoredReason.ShouldBe("form submission without an identifier");
        (await FormAsync(harness, "contact"))!.Fields.OrderBy(f => f.Id).Select(f => f.Name).ShouldBe(["user", "name"]);
        (await harness.PeopleAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task TheHostedActionOnlyAcceptsFormsThatExist()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        // Act
        var result = await SubmitAsync(harness, "nope", isPublic: true, "email=ann@x.com");

        // Assert
        result.Error!.Kind.ShouldBe(ErrorKind.NotFound);
        (await FormAsync(harness, "nope")).ShouldBeNull();
        (await harness.PeopleAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AHostedSubmissionNamingSomeonesIdCannotAddAnEmailToThemOrMergeThem()
    {
        // Arrange: the two people the automatic merge would join (an id without email, an email without id).
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("victim", "{}", Ct);
        await harness.IdentifyAsync("attacker@x.com", "{}", Ct);
        await SubmitAsync(harness, "signup", isPublic: false, "user=x");
        await using (var db = await harness.ContextAsync(Ct))
        {
            var user = await db.FormFields.SingleAsync(f => f.Name == "user", Ct);
            user.Role = FormFieldRole.Id;
            await db.SaveChangesAsync(Ct);
        }

        // Act
        var result = await SubmitAsync(harness, "signup", isPublic: true, "user=victim", "email=attacker@x.com", "plan=hijacked");

        // Assert
        result.Status.ShouldBe(OperationStatus.Applied);
        result.MergedCioId.ShouldBeNull();
        (await harness.PeopleAsync(Ct)).Select(p => $"{p.ExternalId ?? "-"}|{p.Email ?? "-"}").ShouldBe(["victim|-", "-|attacker@x.com"]);
        var submitted = (await harness.ActivityAsync(Ct)).Last(a => a.Name == "form_submit");
        submitted.Data!.ShouldContain("\"ignored_identifiers\":{\"email\":\"attacker@x.com\"}");
    }

    [Fact]
    public async Task AHostedSubmissionByEmailNeverGivesThatPersonTheIdFieldsValue()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("ann@x.com", "{}", Ct);
        await SubmitAsync(harness, "signup", isPublic: false, "email=seed@x.com");

        // Act
        var result = await SubmitAsync(harness, "signup", isPublic: true, "email=ann@x.com", "id=admin", "plan=pro");

        // Assert
        result.Status.ShouldBe(OperationStatus.Applied);
        (await harness.PeopleAsync(Ct)).Select(p => $"{p.ExternalId ?? "-"}|{p.Email ?? "-"}").ShouldBe(["-|ann@x.com", "-|seed@x.com"]);
        var ann = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForEmail("ann@x.com"), Ct);
        ann!.Attributes.Single().ShouldSatisfyAllConditions(a => a.Name.ShouldBe("plan"), a => a.Value.ShouldBe("pro"));
    }

    [Fact]
    public async Task AHostedSubmissionIgnoresUnsubscribedAndCreatedAtWhileTheFormsApiAppliesThem()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await SubmitAsync(harness, "f", isPublic: false, "email=api@x.com", "unsubscribed=true", "created_at=1000");

        // Act
        await SubmitAsync(harness, "f", isPublic: true, "email=hosted@x.com", "unsubscribed=true", "created_at=1000");

        // Assert
        var people = await harness.PeopleAsync(Ct);
        people.Select(p => (p.Email, p.Unsubscribed, p.CreatedAt == 1000)).ShouldBe([("api@x.com", true, true), ("hosted@x.com", false, false)]);
    }

    [Fact]
    public async Task AHostedSubmissionNamingASuppressedEmailIsIgnoredAndSuppressesNothingMore()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await SubmitAsync(harness, "f", isPublic: false, "email=seed@x.com");
        await harness.SuppressDirectlyAsync(IdentifierKind.Email, "gone@x.com", Ct);

        // Act
        var result = await SubmitAsync(harness, "f", isPublic: true, "email=gone@x.com", "id=new-id");

        // Assert
        result.Status.ShouldBe(OperationStatus.Ignored);
        (await harness.SuppressedAsync(Ct)).ShouldBe(["gone@x.com"]);
        (await FormAsync(harness, "f"))!.Submissions.ShouldBe(2);
    }

    [Fact]
    public async Task TheMappingRenamesAndIgnoresFields()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await SubmitAsync(harness, "f", isPublic: false, "email=a@x.com", "fname=A", "secret=s");
        await using (var db = await harness.ContextAsync(Ct))
        {
            var fields = await db.FormFields.ToListAsync(Ct);
            fields.Single(f => f.Name == "fname").AttributeName = "first_name";
            fields.Single(f => f.Name == "secret").Role = FormFieldRole.Ignored;
            await db.SaveChangesAsync(Ct);
        }

        // Act
        await SubmitAsync(harness, "f", isPublic: true, "email=b@x.com", "fname=B", "secret=s");

        // Assert
        var b = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForEmail("b@x.com"), Ct);
        b!.Attributes.Select(a => $"{a.Name}={a.Value}").ShouldBe(["first_name=B"]);
    }

    [Fact]
    public async Task AFormTurnedOffAppliesNothing()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var forms = new FormsService(harness.Database.Factory, harness.Service);
        var (id, _) = await forms.CreateAsync(harness.Context(Sources.Ui), "Off form", null, Ct);
        (await forms.UpdateAsync(harness.Context(Sources.Ui), id!.Value, new FormChange("Off form", Enabled: false, null, []), Ct)).ShouldBeNull();

        // Act
        var result = await SubmitAsync(harness, "off-form", isPublic: true, "email=a@x.com");

        // Assert
        result.IgnoredReason.ShouldBe("the form is turned off");
        (await harness.PeopleAsync(Ct)).ShouldBeEmpty();
        (await FormAsync(harness, "off-form"))!.Submissions.ShouldBe(0);
    }

    [Fact]
    public async Task OnceTheWorkspaceHoldsAThousandFormsANewFormIdIsRefusedNamingTheLimitAndKnownFormsStillWork()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await using (var db = await harness.ContextAsync(Ct))
        {
            db.Forms.AddRange(Enumerable.Range(0, FormRules.MaxFormsPerWorkspace).Select(i => new Form { WorkspaceId = harness.WorkspaceId, FormId = $"f{i}", Name = $"f{i}" }));
            await db.SaveChangesAsync(Ct);
        }

        // Act
        var refused = await SubmitAsync(harness, "one-more", isPublic: false, "email=a@x.com");
        var known = await SubmitAsync(harness, "f7", isPublic: false, "email=a@x.com");

        // Assert
        refused.Error!.Message.ShouldContain("the workspace holds 1,000 forms, the limit");
        refused.Error.Field.ShouldBe("form_id");
        known.Status.ShouldBe(OperationStatus.Applied);
        (await FormAsync(harness, "one-more")).ShouldBeNull();
    }

    [Fact]
    public async Task AFieldOverTheValueLimitRefusesTheWholeSubmission()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        // Act
        var result = await SubmitAsync(harness, "f", isPublic: false, "email=a@x.com", "bio=" + new string('x', 1001));

        // Assert
        result.Error!.Field.ShouldBe("data.bio");
        result.Error.Message.ShouldBe("bio is 1001 bytes; the limit is 1000 bytes");
        (await FormAsync(harness, "f")).ShouldBeNull();
    }

    [Fact]
    public async Task InAnIdOnlyWorkspaceTheIdFieldIsTheReferenceAndEmailAnOrdinaryValue()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct, s => s.Identifiers = IdentifierMode.IdOnly);

        // Act
        var result = await SubmitAsync(harness, "f", isPublic: false, "id=u1", "email=a@x.com");

        // Assert
        result.Created.ShouldBeTrue();
        (await harness.PeopleAsync(Ct)).Single().ShouldSatisfyAllConditions(p => p.ExternalId.ShouldBe("u1"), p => p.Email.ShouldBe("a@x.com"), p => p.EmailIsIdentifier.ShouldBeNull());
    }
}
