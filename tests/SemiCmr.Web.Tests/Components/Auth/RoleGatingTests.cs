using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Import;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Components.Pages.Datasets;
using SemiCmr.Web.Components.Pages.Runs;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Runs;
using SemiCmr.Web.Tests.Auth;
using SemiCmr.Web.Tests.Components.Datasets;
using SemiCmr.Web.Tests.Components.Runs;

namespace SemiCmr.Web.Tests.Components.Auth;

/// <summary>
/// An app in Accounts mode with an admin, two editors (ed, other) and a viewer; ed owns a ready dataset with a label
/// budget, a succeeded run and a queued one. Rows are written straight into the database after start-up, so the worker
/// never takes the queued run.
/// </summary>
public sealed class OwnedRowsFixture : IAsyncLifetime
{
    // Never trains: on PostgreSQL the database is the queue, and a worker would claim the queued row written below.
    public SemiCmrApp App { get; } = SemiCmrApp.InTempFolders("Accounts").WithSetting("Worker:Enabled", "false");
    /// <summary>User ids by user name.</summary>
    public Dictionary<string, string> Ids { get; } = [];
    public int DatasetId { get; private set; }
    public int BudgetId { get; private set; }
    public int SucceededRunId { get; private set; }
    public int QueuedRunId { get; private set; }

    public static readonly Dictionary<string, string> RoleOf = new()
    {
        ["admin"] = Roles.Admin, ["ed"] = Roles.Editor, ["other"] = Roles.Editor, ["viewer"] = Roles.Viewer,
    };

    public async ValueTask InitializeAsync()
    {
        App.CreateClient().Dispose(); // starts the app: the database is migrated, the roles exist
        foreach (var (name, role) in RoleOf) Ids[name] = await Accounts.CreateUser(App, name, role);

        var dbFactory = App.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        var source = ComponentDb.Tiny();
        var dataset = new Dataset
        {
            Name = "eds", Source = "folder", Status = DatasetStatus.Ready, ItemCount = source.Items.Count, Classes = [.. source.ClassNames],
            CreatedAt = DateTime.UtcNow, CreatedBy = Ids["ed"],
        };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync();
        DatasetId = dataset.Id;
        await ItemRows.Insert(dbFactory, DatasetId, source.Items, new Progress<ImportProgress>(), TimeProvider.System, CancellationToken.None);

        var budget = new LabelBudget { DatasetId = DatasetId, Kind = BudgetKind.Manual, Seed = 1, LabeledRows = [0], CreatedAt = DateTime.UtcNow };
        Run succeeded = NewRun(RunStatus.Succeeded), queued = NewRun(RunStatus.Queued);
        db.Budgets.Add(budget);
        db.Runs.AddRange(succeeded, queued);
        await db.SaveChangesAsync();
        (BudgetId, SucceededRunId, QueuedRunId) = (budget.Id, succeeded.Id, queued.Id);
    }

    private Run NewRun(RunStatus status) => new()
    {
        DatasetId = DatasetId, Method = Method.Supervised, LabelRatio = 0.5, Seed = 1, Status = status,
        OptionsJson = RunJson.Serialize(TrainingOptions.Default), CreatedAt = DateTime.UtcNow, CreatedBy = Ids["ed"],
    };

    /// <summary>A bUnit context on the app's services, signed in as <paramref name="user"/>.</summary>
    public BunitContext PageContext(string user)
    {
        var context = MudTestContext.Create();
        context.Services.AddFallbackServiceProvider(App.Services);
        TestUsers.SignIn(context, App.Services, Ids[user], user, RoleOf[user]);
        return context;
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// The pages offer each user only the actions the server allows them (#12): viewers browse; editors upload, label and
/// start runs, and cancel or delete only their own datasets and runs; admins do anything. Every page names the owner.
/// </summary>
public sealed class RoleGatingTests(OwnedRowsFixture fixture) : IClassFixture<OwnedRowsFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static TheoryData<string, bool, bool> Users => new()
    {
        // user, may edit (upload, label, train), may change ed's rows (cancel, delete)
        { "viewer", false, false },
        { "other", true, false },
        { "ed", true, true },
        { "admin", true, true },
    };

    [Theory]
    [MemberData(nameof(Users))]
    public async Task TheDatasetsListOffersUploadToEditorsAndNamesEachOwner(string user, bool mayEdit, bool _)
    {
        await using var context = fixture.PageContext(user);

        var page = context.Render<DatasetsList>();

        page.WaitForAssertion(() => Assert.Equal("ed", page.Find("[data-testid='dataset-owner']").TextContent.Trim()), Wait);
        Assert.Contains("Owner", page.Find("[data-testid='datasets-table'] thead").TextContent);
        Assert.Equal(mayEdit, page.FindAll("[data-testid='upload-zone']").Count == 1);
    }

    [Theory]
    [MemberData(nameof(Users))]
    public async Task TheDatasetPageOffersLabellingToEditorsAndDeleteToTheOwnerOrAnAdmin(string user, bool mayEdit, bool mayChange)
    {
        await using var context = fixture.PageContext(user);
        context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>()
            .NavigateTo($"/datasets/{fixture.DatasetId}?budgetId={fixture.BudgetId}");

        var page = context.Render<DatasetDetails>(p => p.Add(d => d.Id, fixture.DatasetId));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='item-state-0']")), Wait); // the budget's grid is in
        Assert.StartsWith("Owner: ed", page.Find("[data-testid='dataset-owner']").TextContent.Trim());
        Assert.Equal(mayChange, page.FindAll("[data-testid='delete-dataset']").Count == 1);
        Assert.Equal(mayEdit && !mayChange, page.FindAll("[data-testid='not-yours']").Count == 1);
        Assert.Equal(mayEdit, page.FindAll("[data-testid='new-run']").Count == 1);
        Assert.Equal(mayEdit, page.FindAll("[data-testid='budget-save']").Count == 1);
        Assert.Equal(mayEdit, page.FindAll("[data-testid='suggest-button']").Count == 1);
        Assert.Equal(mayEdit, page.FindAll("[data-testid='item-state-0'] button[aria-label='Annotate']").Count == 1);
        Assert.Equal(mayEdit, page.FindAll("[data-testid='item-state-0'] button[aria-label='Toggle labeled']").Count == 1);
    }

    [Theory]
    [MemberData(nameof(Users))]
    public async Task TheRunPageOffersCancelAndDeleteToTheOwnerOrAnAdminAndANewRunToEditors(string user, bool mayEdit, bool mayChange)
    {
        await using var context = fixture.PageContext(user);

        var queued = context.Render<RunDetails>(p => p.Add(r => r.Id, fixture.QueuedRunId));
        queued.WaitForAssertion(() => Assert.Contains("by ed", queued.Find("[data-testid='run-summary']").TextContent), Wait);
        Assert.Equal(mayChange, queued.FindAll("[data-testid='cancel-run']").Count == 1);
        Assert.Equal(mayChange, queued.FindAll("[data-testid='delete-run']").Count == 1);
        Assert.Equal(mayEdit && !mayChange, queued.FindAll("[data-testid='not-yours']").Count == 1);
        Assert.Equal(mayEdit, queued.FindAll("[data-testid='new-run']").Count == 1);

        var succeeded = context.Render<RunDetails>(p => p.Add(r => r.Id, fixture.SucceededRunId));
        succeeded.WaitForAssertion(() => Assert.Contains("by ed", succeeded.Find("[data-testid='run-summary']").TextContent), Wait);
        Assert.Single(succeeded.FindAll("[data-testid='search-run']")); // searching is for everyone
        Assert.Equal(mayChange, succeeded.FindAll("[data-testid='delete-run']").Count == 1);
    }

    [Theory]
    [MemberData(nameof(Users))]
    public async Task TheRunsListOffersANewRunToEditorsAndNamesEachOwner(string user, bool mayEdit, bool _)
    {
        await using var context = fixture.PageContext(user);

        var page = context.Render<RunsList>();

        page.WaitForAssertion(() => Assert.Equal(["ed", "ed"], page.FindAll("[data-testid='run-owner']").Select(o => o.TextContent.Trim())), Wait);
        Assert.Equal(mayEdit, page.FindAll("[data-testid='new-run']").Count == 1);
    }
}
