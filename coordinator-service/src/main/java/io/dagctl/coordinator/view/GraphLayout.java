package io.dagctl.coordinator.view;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/** Places a {@link GraphShape}'s boxes left to right with ELK's layered (Sugiyama) algorithm, and routes its arrows. */
final class GraphLayout {

    static final double NODE_HEIGHT = 44;
    private static final double CHAR_WIDTH = 7.2;
    private static final double MIN_WIDTH = 110;
    private static final double MAX_WIDTH = 260;

    static {
        // ELK looks its algorithms up with a ServiceLoader, by default in the system class loader: name the loader
        // that loaded ELK (under Quarkus' class loaders the two differ), and register the layered algorithm ourselves
        LayoutMetaDataService.getInstance(LayoutMetaDataService.class.getClassLoader())
                .registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
    }

    record Box(double x, double y, double width, double height) {}

    record Placed(Map<String, Box> boxes, List<List<double[]>> routes, double width, double height) {}

    private GraphLayout() {}

    static Placed place(GraphShape shape) {
        ElkNode graph = ElkGraphUtil.createGraph();
        graph.setProperty(CoreOptions.ALGORITHM, "org.eclipse.elk.layered");
        graph.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
        graph.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.POLYLINE);
        graph.setProperty(CoreOptions.SPACING_NODE_NODE, 18.0);
        graph.setProperty(CoreOptions.PADDING, new org.eclipse.elk.core.math.ElkPadding(16));
        Map<String, ElkNode> nodes = new HashMap<>();
        for (GraphShape.Node n : shape.nodes()) {
            ElkNode node = ElkGraphUtil.createNode(graph);
            node.setDimensions(width(n), NODE_HEIGHT);
            nodes.put(n.id(), node);
        }
        List<ElkEdge> edges = new ArrayList<>();
        for (GraphShape.Edge e : shape.edges()) {
            edges.add(ElkGraphUtil.createSimpleEdge(nodes.get(e.from()), nodes.get(e.to())));
        }
        new RecursiveGraphLayoutEngine().layout(graph, new BasicProgressMonitor());
        Map<String, Box> boxes = new HashMap<>();
        nodes.forEach((id, n) -> boxes.put(id, new Box(n.getX(), n.getY(), n.getWidth(), n.getHeight())));
        List<List<double[]>> routes = new ArrayList<>();
        for (ElkEdge edge : edges) {
            List<double[]> points = new ArrayList<>();
            if (!edge.getSections().isEmpty()) {
                ElkEdgeSection section = edge.getSections().get(0);
                points.add(new double[] {section.getStartX(), section.getStartY()});
                for (ElkBendPoint bend : section.getBendPoints()) {
                    points.add(new double[] {bend.getX(), bend.getY()});
                }
                points.add(new double[] {section.getEndX(), section.getEndY()});
            }
            routes.add(points);
        }
        return new Placed(boxes, routes, graph.getWidth(), graph.getHeight());
    }

    static double width(GraphShape.Node n) {
        return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, 28 + n.label().length() * CHAR_WIDTH));
    }
}
