using EdgeCloud.Hub.Server;

// `cloud-hub release ...`: the admin's release-key tool, no hub started.
if (args is ["release", .. var verb])
{
    return ReleaseCommand.Run(verb, Console.Out, Console.Error);
}

// The composition root lives in HubApplication so that tests and the in-process demo host the same hub.
HubApplication.Create(args).Run();
return 0;
