using Microsoft.Extensions.FileProviders;
using MudBlazor.Services;
using PeopleAdmin.Web.Components.Account;

namespace PeopleAdmin.Web.Components;

internal static class UiExtensions
{
    /// <summary>Blazor Server with MudBlazor.</summary>
    public static WebApplicationBuilder AddPeopleAdminUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        return builder;
    }

    public static WebApplication UsePeopleAdminPipeline(this WebApplication app)
    {
        app.UsePeopleAdminForwardedHeaders();
        if (app.Environment.IsDevelopment())
        {
            app.UseMigrationsEndPoint();
        }
        else
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseBrandAssets();
        app.UsePeopleAdminSignIn();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>Serves <c>wwwroot-assets/</c> (copied to <c>brand/</c> beside the app) at the site's root, to anyone.</summary>
    private static void UseBrandAssets(this WebApplication app)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "brand");
        if (!Directory.Exists(folder))
        {
            throw new InvalidOperationException($"The brand assets folder {folder} is missing from the build output.");
        }

        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(folder) });
    }

    public static WebApplication MapPeopleAdminUi(this WebApplication app)
    {
        // The fallback policy would otherwise demand a sign-in for the framework's scripts and stylesheets.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        return app;
    }
}
