using SpNet.Extensions.Hosting;
using WorkerService;

// A Generic Host worker: the "echo" REP socket, its registration and the health check all come from
// appsettings.json (section SpNet); the worker only answers requests.
HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSpNet(builder.Configuration.GetSection("SpNet"));
builder.Services.AddHealthChecks().AddSpNet();
builder.Services.AddHostedService<EchoWorker>();
await builder.Build().RunAsync();
