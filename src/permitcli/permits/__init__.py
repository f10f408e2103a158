"""The permit register: permits issued, drawn down shipment by shipment, terminated and reported on (no CLI here)."""
