using SemiCmr.Web.Api;
using SemiCmr.Web.Audit;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Budgets;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Health;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Progress;
using SemiCmr.Web.Protection;
using SemiCmr.Web.Runs;
using SemiCmr.Web.Search;
using SemiCmr.Web.Ui;

var builder = WebApplication.CreateBuilder(args);

builder.AddSemiCmrOptions();
builder.AddDatabase();
builder.AddAuth();
builder.AddDatasets();
builder.AddProgress();
builder.AddTraining();
builder.AddSearch();
builder.AddDemo();
builder.AddApi();
builder.AddUi();
builder.AddBudgets();
builder.AddRunReports();
builder.AddAudit();
builder.AddRateLimits();

var app = builder.Build();

app.UseSecurityHeaders();
app.UseApi();
app.UseStaticFiles();
app.UseAuth();
app.UseRateLimits();

app.MapHealth();
app.MapDatasets();
app.MapRuns();
app.MapSearch();
app.MapProgress();
app.MapApiReference();
app.MapBudgets();
app.MapTokens();
app.MapUsers();
app.MapAudit();
app.MapUi();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
