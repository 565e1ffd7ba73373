using EdgeCloud.Hub.Server;

// The composition root lives in HubApplication so that tests and the in-process demo host the same hub.
HubApplication.Create(args).Run();
