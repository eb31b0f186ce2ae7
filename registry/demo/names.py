"""Names that look like a real East and West African registry (no real person's data)."""

from __future__ import annotations

FEMALE_GIVEN = (
    "Amina Achieng Wanjiru Fatuma Zawadi Neema Akinyi Nyokabi Halima Rehema Mwanaisha Atieno "
    "Wairimu Njeri Auma Imani Baraka Chiamaka Ngozi Adaeze Aisha Hadiza Zainab Maryam Fatoumata "
    "Aminata Awa Mariama Khadija Salma Esther Grace Mercy Faith Joyce Beatrice Nafula Naliaka "
    "Chebet Jepkosgei Jelagat Nasimiyu Makena Kawira Nkatha Hawa Mwajuma Saida Tatu Mwanahawa "
    "Ana Luisa Joana Esperança Graça Marie Aïcha Adjoa Akosua Ama Abena Yaa Efua Nomvula Thandiwe"
).split()
MALE_GIVEN = (
    "Juma Otieno Kamau Mwangi Hassan Baraka Omondi Kiprono Kipchoge Wafula Barasa Mutua Musyoka "
    "Ochieng Onyango Njoroge Kariuki Abdallah Salim Rashid Bakari Hamisi Ali Mohamed Ibrahim "
    "Musa Yusuf Suleiman Amadou Moussa Ousmane Mamadou Ibrahima Cheikh Chinedu Emeka Obinna "
    "Tunde Femi Kwame Kofi Kwabena Yaw Kojo Peter John Joseph Daniel Samuel David Emmanuel "
    "Cheruiyot Kibet Langat Koech Wekesa Simiyu Mugo Gitau Ndungu João Manuel António Pierre"
).split()
FAMILY = (
    "Ochieng Otieno Odhiambo Onyango Mwangi Kamau Kariuki Njoroge Wanjiku Kimani Mutua Musyoka "
    "Kiprop Kipchumba Chebet Rotich Wafula Wekesa Barasa Simiyu Hassan Omar Abdalla Said Salim "
    "Mohamed Bakari Mwinyi Juma Hamisi Diallo Traoré Coulibaly Keita Camara Touré Sow Ndiaye "
    "Okafor Okeke Adeyemi Balogun Mensah Owusu Boateng Asante Nkosi Dlamini Macharia Githinji "
    "Wambua Nyamweya Ongeri Moraa Nyakundi Kilonzo Mbithi Lekishon Lenolkulal Sang Ruto Korir "
    "Oduya Were Makokha Namwamba Mboya Opiyo Owino Achola Akello Lokwang Ekiru Dos Santos Machava "
    "Abubakar-Mwinyimkuu Kipng'etich-Chepkwony"
).split()
