using System.Text.RegularExpressions;
using Bunit;
using MudBlazor;
using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Forms;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Forms;

/// <summary>The Forms page's editor of one form.</summary>
public sealed class FormEditorTests : MudTestContext
{
    private static readonly DateTimeOffset Seen = DateTimeOffset.UnixEpoch;

    private FormChange? _saved;

    private static FormDetails Form(string? successUrl = null, params FormFieldDetails[] fields) =>
        new(1, "newsletter", "Newsletter", true, successUrl, 3, Seen, fields);

    private IRenderedComponent<FormEditor> RenderEditor(FormDetails form, IReadOnlyList<string>? allowed = null, bool readOnly = false) =>
        Render<FormEditor>(p => p
            .Add(e => e.Form, form)
            .Add(e => e.Mode, IdentifierMode.EmailOrId)
            .Add(e => e.AllowedOrigins, allowed ?? [])
            .Add(e => e.HtmlExample, "<form></form>")
            .Add(e => e.ReadOnly, readOnly)
            .Add(e => e.OnSave, (FormChange c) => _saved = c));

    [Fact]
    public void AFormWithoutSubmissionsSaysWhichFieldWillIdentifyPeople()
    {
        var editor = RenderEditor(Form());

        Regex.Replace(editor.Find("[data-testid='no-fields']").TextContent, @"\s+", " ").ShouldContain("a field named email (else id) identifies the person");
    }

    [Fact]
    public void ASuccessUrlOnAnOriginThatIsNotAllowedIsWarnedAbout()
    {
        var editor = RenderEditor(Form("https://elsewhere.example.net/thanks"), allowed: ["https://shop.example.com"]);

        editor.Find("[data-testid='success-url-warning']").TextContent
            .ShouldContain("https://elsewhere.example.net is not among the workspace's allowed origins, so visitors will see the thank-you page instead");
    }

    [Fact]
    public void ASuccessUrlOnAnAllowedOriginHasNoWarning()
    {
        var editor = RenderEditor(Form("https://shop.example.com/thanks"), allowed: ["https://shop.example.com"]);

        editor.FindAll("[data-testid='success-url-warning']").ShouldBeEmpty();
    }

    [Fact]
    public async Task ChoosingAnotherIdentifierFieldMakesThePreviousOneAnAttributeAgain()
    {
        var editor = RenderEditor(Form(null, new FormFieldDetails("email", FormFieldRole.Email, null, Seen), new FormFieldDetails("user", FormFieldRole.Attribute, null, Seen)));
        var selects = editor.FindComponents<MudSelect<FormFieldRole>>();

        await editor.InvokeAsync(() => selects[1].Instance.ValueChanged.InvokeAsync(FormFieldRole.Id));
        editor.FindAll("button").First(b => b.TextContent.Trim() == "Save form").Click();

        _saved!.Fields.Select(f => (f.Name, f.Role)).ShouldBe([("email", FormFieldRole.Attribute), ("user", FormFieldRole.Id)]);
    }

    [Fact]
    public void AReadOnlyEditorHasNoSaveOrDeleteButton()
    {
        var editor = RenderEditor(Form(), readOnly: true);

        editor.FindAll("button").Select(b => b.TextContent.Trim()).ShouldNotContain("Save form");
        editor.FindAll("button").Select(b => b.TextContent.Trim()).ShouldNotContain("Delete form");
    }
}
