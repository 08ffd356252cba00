using System.Text;
using System.Text.Encodings.Web;
using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Web.Features.Workspaces;
using PeopleAdmin.Web.Infrastructure;

namespace PeopleAdmin.Web.Features.Forms;

/// <summary>What the Forms page reads and changes, with the role check on the server side of every change.</summary>
internal sealed class FormsConsole(FormsService forms, PeopleService people, OperatorAccess access, PublicAddress address)
{
    public const string EditPolicy = Policies.CanEditPeople;

    private const string NotAllowed = "Only Editors, Admins and the Owner can change forms.";

    public Task<bool> CanEditAsync() => access.AllowsAsync(EditPolicy);

    public Task<IReadOnlyList<FormSummary>> ListAsync(int workspaceId, CancellationToken cancellationToken) => forms.ListAsync(workspaceId, cancellationToken);

    public Task<FormDetails?> GetAsync(int workspaceId, long id, CancellationToken cancellationToken) => forms.GetAsync(workspaceId, id, cancellationToken);

    public async Task<WorkspaceSettings> SettingsAsync(int workspaceId, CancellationToken cancellationToken) =>
        await people.GetSettingsAsync(workspaceId, cancellationToken) ?? new WorkspaceSettings();

    public async Task<(long? Id, RequestError? Error)> CreateAsync(int workspaceId, string name, string? formId, CancellationToken cancellationToken) =>
        await CanEditAsync()
            ? await forms.CreateAsync(await ContextAsync(workspaceId), name, formId, cancellationToken)
            : (null, new RequestError(ErrorKind.Invalid, "form", NotAllowed));

    public async Task<RequestError?> UpdateAsync(int workspaceId, long id, FormChange change, CancellationToken cancellationToken) =>
        await CanEditAsync()
            ? await forms.UpdateAsync(await ContextAsync(workspaceId), id, change, cancellationToken)
            : new RequestError(ErrorKind.Invalid, "form", NotAllowed);

    public async Task<RequestError?> DeleteAsync(int workspaceId, long id, CancellationToken cancellationToken) =>
        await CanEditAsync()
            ? await forms.DeleteAsync(await ContextAsync(workspaceId), id, cancellationToken)
            : new RequestError(ErrorKind.Invalid, "form", NotAllowed);

    private async Task<OperationContext> ContextAsync(int workspaceId) => new(workspaceId, Sources.Ui, await access.ActorAsync());

    /// <summary>Where a page's form posts: the hosted action on this server's public address.</summary>
    public string ActionUrl(string siteId, string formId) =>
        $"{address.BaseUrl.AbsoluteUri}forms/{Uri.EscapeDataString(siteId)}/{Uri.EscapeDataString(formId)}";

    /// <summary>
    /// A form to paste into any web page: the fields seen so far (or an email field and a name), the hidden honeypot
    /// that bots fill and people never see, and nothing else: no script.
    /// </summary>
    public string HtmlExample(string siteId, FormDetails form, IdentifierMode mode)
    {
        var html = HtmlEncoder.Default;
        var fields = form.Fields.Where(f => f.Role != FormFieldRole.Ignored).Select(f => f.Name).ToList();
        if (fields.Count == 0)
        {
            fields = [mode == IdentifierMode.EmailOrId ? ReservedKeys.Email : ReservedKeys.Id, "first_name"];
        }

        var reference = form.Fields.FirstOrDefault(f => f.Role is FormFieldRole.Email or FormFieldRole.Id)?.Name
            ?? (mode == IdentifierMode.EmailOrId && fields.Contains(ReservedKeys.Email) ? ReservedKeys.Email : ReservedKeys.Id);
        var text = new StringBuilder();
        text.Append("<form action=\"").Append(html.Encode(ActionUrl(siteId, form.FormId))).Append("\" method=\"post\">\n");
        foreach (var field in fields)
        {
            var type = field == ReservedKeys.Email ? "email" : "text";
            var required = field == reference ? " required" : "";
            text.Append("  <label>").Append(html.Encode(Label(field))).Append(" <input type=\"").Append(type).Append("\" name=\"")
                .Append(html.Encode(field)).Append('"').Append(required).Append("></label>\n");
        }

        text.Append("  <!-- A trap for spam bots: people never see it, so never fill it. -->\n");
        text.Append("  <input type=\"text\" name=\"").Append(FormRules.Honeypot).Append("\" style=\"display:none\" tabindex=\"-1\" autocomplete=\"off\">\n");
        text.Append("  <button type=\"submit\">Send</button>\n");
        text.Append("</form>");
        return text.ToString();
    }

    private static string Label(string field)
    {
        var words = field.Replace('_', ' ').Replace('-', ' ').Trim();
        return words.Length == 0 ? field : char.ToUpperInvariant(words[0]) + words[1..];
    }
}
