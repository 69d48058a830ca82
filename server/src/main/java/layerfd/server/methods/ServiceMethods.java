package layerfd.server.methods;

import layerfd.protocol.Methods;
import layerfd.protocol.jsonrpc.MethodTable;

/** The method table of one connection: every method of {@link Methods#ALL}, bound to that connection's state. */
public final class ServiceMethods {
    private ServiceMethods() {}

    public static MethodTable table(ServiceContext context, ConnectionState state) {
        return MethodTable.builder()
                .add(Methods.INITIALIZE, new InitializeMethod(context))
                .add(Methods.LIST_IMAGES, new ListImagesMethod(context))
                .add(Methods.INSPECT_IMAGE, new InspectImageMethod(context))
                .add(Methods.GET_IMAGE, new GetImageMethod(context))
                .add(Methods.GET_SPLIT_FD_STREAM, new GetSplitFdStreamMethod(context, state))
                .add(Methods.GET_LAYER_SPLITFDSTREAM, new GetLayerSplitfdstreamMethod(context, state))
                .add(Methods.OPEN_LAYER_STREAM, new OpenLayerStreamMethod(context, state))
                .add(Methods.READ_LAYER_FILES, new ReadLayerFilesMethod(state))
                .add(Methods.CLOSE_LAYER_STREAM, new CloseLayerStreamMethod(state))
                .build();
    }
}
